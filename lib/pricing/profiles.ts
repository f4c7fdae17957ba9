/**
 * Realistic monthly usage by user type, from the music-AI product's "AI credits" page
 * (the AI credits page our plans follow, "How much will I use?"). The counts are the seed's; the credits they cost come
 * from the live price table, so the estimator follows price edits. `seedTotalCredits` is the total the
 * seed prints at its own prices (a unit test checks the seeded price table reproduces it).
 */
export type UsageProfile = {
  id: string;
  name: string;
  /** The tier the seed files this profile under. */
  usualPlanId: string;
  description: string;
  /** Actions per month, by action key. */
  counts: Readonly<Record<string, number>>;
  seedTotalCredits: number;
};

export const USAGE_PROFILES: readonly UsageProfile[] = [
  {
    id: "curious",
    name: "Curious user",
    usualPlanId: "free",
    description: "A few chats and a couple of tracks analysed.",
    counts: { "aria.chat": 20, "sonic.analysis": 2 },
    seedTotalCredits: 30,
  },
  {
    id: "solo-artist",
    name: "Solo artist",
    usualPlanId: "starter",
    description: "Chats, covers and a release plan or two.",
    counts: {
      "aria.chat": 60,
      "sonic.analysis": 5,
      "image.generate": 8,
      "campaign.plan": 2,
      "artist.similar": 5,
      "royalty.parse": 2,
    },
    seedTotalCredits: 165,
  },
  {
    id: "manager",
    name: "Manager / DIY label",
    usualPlanId: "pro",
    description: "Several artists, videos, and MCP tools from Cursor or Claude.",
    counts: {
      "aria.chat": 200,
      "sonic.analysis": 30,
      "image.generate": 20,
      "video.generate": 5,
      "campaign.plan": 10,
      "artist.similar": 30,
      // The seed's "MCP tool calls (Cursor / Claude)": 200 calls for 200 credits, i.e. 1-credit
      // enrichment calls such as get_song_intelligence.
      "mcp.get_song_intelligence": 200,
      "royalty.parse": 5,
    },
    seedTotalCredits: 935,
  },
  {
    id: "label",
    name: "Label",
    usualPlanId: "scale",
    description: "A full roster: heavy chat, video and MCP automation.",
    counts: {
      "aria.chat": 600,
      "sonic.analysis": 80,
      "image.generate": 50,
      "video.generate": 15,
      "campaign.plan": 30,
      "artist.similar": 100,
      // The seed's "MCP tool calls": 800 calls for 800 credits (1 credit each).
      "mcp.get_song_intelligence": 800,
      "royalty.parse": 20,
    },
    seedTotalCredits: 2_950,
  },
];
