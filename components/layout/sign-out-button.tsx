"use client";

import { Button } from "@/components/ui/button";

/** next-auth's client is loaded on click: every portal page would otherwise ship it for this one button. */
async function signOut() {
  const { signOut } = await import("next-auth/react");
  await signOut({ callbackUrl: "/login" });
}

export function SignOutButton() {
  return (
    <Button variant="ghost" onClick={() => void signOut()}>
      Sign out
    </Button>
  );
}
