"use client";

import { onlineManager } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/field";
import { ActionButton } from "@/components/ui/form";

/**
 * next-auth's client is loaded on click: every portal page would otherwise ship it for this one button.
 * The page's live queries (the balance polls every few seconds) are held first: once the session
 * cookie is gone, a poll before the browser leaves the page would only get a 401.
 */
async function signOut(callbackUrl = "/login") {
  onlineManager.setOnline(false);
  try {
    const { signOut } = await import("next-auth/react");
    await signOut({ callbackUrl });
  } catch (err) {
    onlineManager.setOnline(true);
    throw err;
  }
}

export function SignOutButton() {
  return (
    <Button variant="ghost" onClick={() => void signOut()}>
      Sign out
    </Button>
  );
}

/** The account page's "Sign out everywhere": ends every session on the server, then leaves this one. */
export function SignOutEverywhereButton({ action }: { action: () => Promise<{ ok: true } | { ok: false; message: string }> }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="space-y-2">
      <ActionButton
        variant="secondary"
        pendingLabel="Signing out…"
        action={() => {
          setError(null);
          return action();
        }}
        onResult={(result) => (result.ok ? signOut("/login?signedout=everywhere") : setError(result.message))}
      >
        Sign out everywhere
      </ActionButton>
      {error ? <FormAlert>{error}</FormAlert> : null}
    </div>
  );
}
