/**
 * The operator the demo seeds next to the demo user (prisma/seed.ts), only when DEMO_MODE is on: a
 * production database never gets an admin with a published password. Production's first operator comes
 * from `npm run admin:create`.
 */
export const DEMO_ADMIN = { email: "admin@creditbook.dev", password: "creditbook-admin", name: "Demo Operator" } as const;
