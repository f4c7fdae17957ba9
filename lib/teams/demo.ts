/**
 * A teammate the demo seeds into the demo workspace as a member (prisma/seed.ts), only when DEMO_MODE is
 * on: signing in as them shows the portal as a member sees it (same balance, no purchase buttons), and
 * the workspace switcher (they have a personal workspace too).
 */
export const DEMO_TEAMMATE = { email: "teammate@creditbook.dev", password: "creditbook-teammate", name: "Demo Teammate" } as const;
