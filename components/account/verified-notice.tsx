"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Button } from "@/components/ui/button";

/** After following the verification link (?verified=bonus | 1): says so once, dismissible. */
export function VerifiedNotice({ bonus }: { bonus: string }) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const verified = params.get("verified");
  if (verified !== "bonus" && verified !== "1") return null;
  return (
    <section aria-label="Email verified" className="border-b border-emerald-200 bg-emerald-50">
      <div className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-3 text-sm text-emerald-900 sm:px-6">
        <p role="status">
          <span className="font-semibold">Email verified.</span>{" "}
          {verified === "bonus" ? `${bonus} bonus credits were added to your workspace.` : "Thank you."}
        </p>
        <Button type="button" variant="ghost" onClick={() => router.replace(pathname)}>
          Dismiss
        </Button>
      </div>
    </section>
  );
}
