"use client";

import { usePathname } from "next/navigation";
import { useState, useTransition } from "react";

type Workspace = { id: string; name: string; role: "OWNER" | "MEMBER" };

/**
 * The current workspace, and a menu of the others the user belongs to. Choosing one asks the server
 * to switch (it checks the membership, then sets the workspace cookie) and reloads the page in it.
 */
export function WorkspaceSwitcher({
  workspaces,
  currentId,
  action,
}: {
  workspaces: Workspace[];
  currentId: string;
  action: (formData: FormData) => Promise<{ ok: false; message: string }>;
}) {
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const current = workspaces.find((w) => w.id === currentId);
  if (workspaces.length < 2) {
    return (
      <span className="hidden truncate rounded-md bg-slate-100 px-2 py-1 text-sm text-slate-700 sm:inline" title="Current workspace">
        {current?.name}
      </span>
    );
  }
  return (
    <form className="min-w-0">
      <label htmlFor="workspace-switcher" className="sr-only">
        Workspace
      </label>
      <select
        id="workspace-switcher"
        name="workspaceId"
        value={currentId}
        disabled={pending}
        title={error ?? "Current workspace"}
        aria-invalid={error ? true : undefined}
        onChange={(e) => {
          const data = new FormData();
          data.set("workspaceId", e.target.value);
          data.set("returnTo", pathname);
          startTransition(async () => {
            const r = await action(data);
            setError(r.message);
          });
        }}
        className="block w-44 truncate sm:w-auto rounded-md border-0 bg-slate-100 py-1 pl-2 pr-7 text-sm text-slate-800 ring-1 ring-inset ring-slate-200 focus:ring-2 focus:ring-indigo-600 sm:max-w-[20rem]"
      >
        {workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
            {w.role === "OWNER" ? "" : " (member)"}
          </option>
        ))}
      </select>
      {error ? (
        <span role="alert" className="sr-only">
          {error}
        </span>
      ) : null}
    </form>
  );
}
