import type { Balance } from "@/lib/credits";
import { CardBody, TitledCard } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/billing/local-time";
import { formatCredits } from "@/lib/format";

const TYPE_LABEL = { SUBSCRIPTION: "Plan allowance", BONUS: "Bonus", PURCHASED: "Purchased" } as const;
const TYPE_TONE = { SUBSCRIPTION: "brand", BONUS: "success", PURCHASED: "neutral" } as const;

export function CreditBuckets({ balance }: { balance: Balance }) {
  return (
    <TitledCard id="buckets-heading" title="Credit buckets" description="Spent in this order: plan allowance, then bonus, then purchased.">
      <CardBody className="p-0 sm:p-0">
        {balance.grants.length === 0 ? (
          <p className="px-6 py-5 text-sm text-slate-500">No credits left in any bucket.</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {balance.grants.map((g) => (
              <li key={g.id} className="flex flex-wrap items-center justify-between gap-2 px-5 py-3 sm:px-6">
                <div className="flex items-center gap-3">
                  <Badge tone={TYPE_TONE[g.type]}>{TYPE_LABEL[g.type]}</Badge>
                  <span className="text-sm text-slate-600">
                    {g.expiresAt ? (
                      <>
                        expires <LocalTime iso={g.expiresAt} />
                      </>
                    ) : (
                      "never expires"
                    )}
                  </span>
                </div>
                <span className="text-sm tabular-nums text-slate-900">
                  <span className="font-semibold">{formatCredits(g.remaining)}</span> / {formatCredits(g.amount)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </CardBody>
    </TitledCard>
  );
}
