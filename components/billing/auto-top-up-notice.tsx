"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { useWorkspaceHeaders } from "@/components/layout/workspace-scope";

/**
 * The owners' in-app notice, on every portal page, after auto top-up was switched off by a declined or
 * failed charge. Dismissing hides it for the workspace; the billing page's banner stays while it is off.
 */
export function AutoTopUpNotice({ reason }: { reason: string }) {
  const router = useRouter();
  const workspace = useWorkspaceHeaders();
  const [hidden, setHidden] = useState(false);
  const [busy, setBusy] = useState(false);
  if (hidden) return null;
  async function dismiss() {
    setBusy(true);
    const res = await fetch("/api/workspace/auto-top-up/notice", { method: "DELETE", headers: workspace }).catch(() => null);
    setBusy(false);
    if (res?.ok) {
      setHidden(true);
      router.refresh();
    }
  }
  return (
    <aside aria-label="Billing notice" className="border-b border-red-200 bg-red-50">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-2.5 text-sm text-red-800 sm:px-6">
        <p>
          <span className="font-semibold">Auto top-up is off:</span> {reason}{" "}
          <Link href="/settings/billing#auto-top-up" className="font-semibold underline underline-offset-2 hover:text-red-900">
            Review auto top-up
          </Link>
        </p>
        <Button variant="ghost" className="text-red-800 hover:bg-red-100" disabled={busy} onClick={dismiss}>
          Dismiss notice
        </Button>
      </div>
    </aside>
  );
}
