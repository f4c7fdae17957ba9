/** When the browser blocked the new window Stripe's page was to open in: a link that opens it. */
export function StripeWindowLink({ url, className }: { url: string | null; className?: string }) {
  if (!url) return null;
  return (
    <p role="status" className={`text-sm text-slate-700 ${className ?? ""}`}>
      Your browser blocked the new window.{" "}
      <a
        href={url}
        target="_blank"
        rel="noopener noreferrer"
        className="font-semibold text-indigo-700 underline underline-offset-2 hover:no-underline"
      >
        Open Stripe in a new tab
      </a>
    </p>
  );
}
