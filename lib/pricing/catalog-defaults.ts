import type { ActionCategory, OutOfCreditsPolicy } from "@/lib/generated/prisma/client";

/**
 * The catalogue a new installation starts with (prisma/seed.ts). After seeding, the database is the
 * source of truth: operators edit prices and plans there without a redeploy.
 */
export const DEFAULT_PLANS = [
  { id: "free", name: "Free", monthlyCredits: 100, priceMonthlyCents: 0, trialDays: 0, seats: 1, entitlements: { "roster.artists": 1 } },
  {
    id: "starter",
    name: "Starter",
    monthlyCredits: 1_000,
    priceMonthlyCents: 999,
    trialDays: 30,
    seats: 1,
    entitlements: { "roster.artists": 1 },
  },
  {
    id: "pro",
    name: "Pro",
    monthlyCredits: 5_000,
    priceMonthlyCents: 2_900,
    trialDays: 30,
    seats: 3,
    entitlements: { "roster.artists": 5 },
  },
  {
    id: "scale",
    name: "Scale",
    monthlyCredits: 20_000,
    priceMonthlyCents: 9_900,
    trialDays: 30,
    seats: 10,
    entitlements: { "roster.artists": 20 },
  },
  {
    id: "enterprise",
    name: "Enterprise",
    monthlyCredits: null,
    priceMonthlyCents: 24_900,
    trialDays: 0,
    seats: null,
    entitlements: { "roster.artists": null },
    contactSales: true,
  },
].map((plan, sortOrder) => ({ contactSales: false, ...plan, priceYearlyCents: plan.priceMonthlyCents * 10, sortOrder }));

/** 1 credit = $0.01; purchased credits never expire unless a pack says so. */
export const DEFAULT_PACKS = [
  { id: "starter_1000", name: "Starter pack", credits: 1_000, priceCents: 1_000 },
  { id: "growth_5000", name: "Growth pack", credits: 5_000, priceCents: 5_000 },
  { id: "scale_20000", name: "Scale pack", credits: 20_000, priceCents: 20_000 },
].map((pack, sortOrder) => ({ ...pack, sortOrder }));

type DefaultPrice = {
  actionKey: string;
  name: string;
  category: ActionCategory;
  credits: number;
  reserveCredits?: number;
  sync?: boolean;
  policy?: OutOfCreditsPolicy;
};

/** Costs from the music-AI product's "AI credits" page. */
export const DEFAULT_ACTION_PRICES: DefaultPrice[] = [
  { actionKey: "aria.chat", name: "Aria chat conversation", category: "ARIA", credits: 1 },
  { actionKey: "sonic.analysis", name: "Sonic analysis (per track)", category: "SONIC", credits: 5, sync: false, policy: "QUEUE" },
  { actionKey: "stems.separate", name: "Stem separation (per track)", category: "SONIC", credits: 15, reserveCredits: 15, sync: false },
  { actionKey: "image.generate", name: "Image generation", category: "IMAGE", credits: 5 },
  { actionKey: "video.generate", name: "Video generation", category: "VIDEO", credits: 20, reserveCredits: 20, sync: false },
  { actionKey: "campaign.plan", name: "AI campaign planner", category: "OTHER", credits: 10 },
  { actionKey: "artist.similar", name: "Similar artist discovery", category: "OTHER", credits: 2 },
  { actionKey: "royalty.parse", name: "Royalty PDF parse", category: "OTHER", credits: 5 },
  { actionKey: "background.refresh", name: "Background data refresh", category: "OTHER", credits: 0 },
  { actionKey: "mcp.read_cached", name: "MCP read tool (cached)", category: "MCP", credits: 0, policy: "RATE_LIMIT" },
  { actionKey: "mcp.get_song_intelligence", name: "MCP get_song_intelligence", category: "MCP", credits: 1, policy: "RATE_LIMIT" },
  { actionKey: "mcp.add_artist", name: "MCP add_artist", category: "MCP", credits: 2, policy: "RATE_LIMIT" },
  { actionKey: "mcp.create_smart_link", name: "MCP create_smart_link", category: "MCP", credits: 1, policy: "RATE_LIMIT" },
  { actionKey: "mcp.generate_pitch", name: "MCP generate_pitch", category: "MCP", credits: 2, policy: "RATE_LIMIT" },
];

/** Monthly usage of a "Manager / DIY label" on Pro (from the same page), for the demo workspace. */
export const DEMO_MONTHLY_PROFILE: { actionKey: string; perMonth: number }[] = [
  { actionKey: "aria.chat", perMonth: 200 },
  { actionKey: "sonic.analysis", perMonth: 30 },
  { actionKey: "image.generate", perMonth: 20 },
  { actionKey: "video.generate", perMonth: 5 },
  { actionKey: "campaign.plan", perMonth: 10 },
  { actionKey: "artist.similar", perMonth: 30 },
  { actionKey: "mcp.get_song_intelligence", perMonth: 120 },
  { actionKey: "mcp.add_artist", perMonth: 20 },
  { actionKey: "mcp.generate_pitch", perMonth: 20 },
  { actionKey: "mcp.read_cached", perMonth: 150 },
  { actionKey: "royalty.parse", perMonth: 5 },
  { actionKey: "background.refresh", perMonth: 60 },
];
