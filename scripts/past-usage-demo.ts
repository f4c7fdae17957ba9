// Last month's usage for the screenshots' demo workspace, so the past-period views (Billing ?period=,
// Usage over last month grouped by member) have something to show. The demo seed only has this month;
// these events are written straight into UsageEvent with last month's dates, as the metering API would
// have recorded them then: the demo profile, split between the demo user and the demo teammate. Once.
import { db } from "../lib/db.ts";
import { now } from "../lib/clock.ts";
import { creditPeriod } from "../lib/credits/index.ts";
import { DEMO_MONTHLY_PROFILE } from "../lib/pricing/catalog-defaults.ts";
import { DEMO_TEAMMATE } from "../lib/teams/demo.ts";
import { periodDays, previousPeriod } from "../lib/usage/periods.ts";

export async function recordDemoPastUsage(demo: { userId: string; workspaceId: string }): Promise<{ from: string; to: string }> {
  const current = creditPeriod(now(), "MONTH", new Date(0));
  const last = previousPeriod(current, { interval: "MONTH", anchor: new Date(0) });
  const days = periodDays(last);
  if (
    await db.usageEvent.findFirst({
      where: { workspaceId: demo.workspaceId, createdAt: { gte: last.start, lt: last.end } },
      select: { id: true },
    })
  )
    return days;
  const teammate = await db.user.findUnique({ where: { email: DEMO_TEAMMATE.email }, select: { id: true } });
  const prices = new Map(
    (await db.actionPrice.findMany({ where: { version: 1 }, select: { id: true, actionKey: true, category: true, credits: true } })).map(
      (p) => [p.actionKey, p],
    ),
  );
  const span = last.end.getTime() - last.start.getTime();
  const data = DEMO_MONTHLY_PROFILE.flatMap(({ actionKey, perMonth }, a) =>
    Array.from({ length: perMonth }, (_, i) => {
      const price = prices.get(actionKey)!;
      // Spread over the month, a little heavier towards its end; every third event is the teammate's.
      const at = new Date(
        last.start.getTime() + Math.floor(span * Math.sqrt((i + 0.5) / perMonth)) - ((a * 7919 + i * 104729) % 3_600_000),
      );
      return {
        workspaceId: demo.workspaceId,
        userId: teammate && i % 3 === 2 ? teammate.id : demo.userId,
        actionKey,
        category: price.category,
        priceId: price.id,
        credits: price.credits,
        status: "COMPLETED" as const,
        createdAt: at < last.start ? last.start : at,
        completedAt: at < last.start ? last.start : at,
      };
    }),
  );
  await db.usageEvent.createMany({ data });
  return days;
}
