/** What the visitor sees when Stripe Checkout sends them back here. */
export function CheckoutNotice({ outcome }: { outcome: "success" | "cancelled" }) {
  return outcome === "success" ? (
    <p role="status" className="rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800 ring-1 ring-inset ring-emerald-200">
      <span className="font-semibold">Payment received.</span> Your credits are added as soon as Stripe confirms the payment, usually within seconds;
      the figures below update by themselves.
    </p>
  ) : (
    <p role="status" className="rounded-md bg-slate-50 px-4 py-3 text-sm text-slate-700 ring-1 ring-inset ring-slate-200">
      <span className="font-semibold">Checkout cancelled.</span> Nothing was charged.
    </p>
  );
}
