"use server";

import { z } from "zod";
import { formText, workspaceAction } from "@/lib/actions";
import { fieldErrors } from "@/lib/errors";
import { createApiKey, revokeApiKey, setKeyWebhook, updateKeyLimits } from "@/lib/metering/keys";
import { setAllowedOrigins } from "@/lib/portal-sessions/origins";
import type { KeyActionResult as KeyActionState } from "@/components/api-keys/types";

/** Owners only (workspaceAction checks the role on every call). */
const OWNERS = { role: "OWNER", revalidate: "/settings/api-keys" } as const;

const createSchema = z.object({
  name: z.string().trim().min(1, "Name the key, e.g. “Production backend”.").max(100, "Use at most 100 characters."),
  hourlyCap: z.coerce.number().int("Use a whole number.").min(1, "At least 1 call an hour.").max(1_000_000, "At most 1,000,000."),
});

/** The secret is returned once. */
export const createKeyAction = workspaceAction(OWNERS, async ({ user, workspace }, formData): Promise<KeyActionState> => {
  const parsed = createSchema.safeParse({ name: formData.get("name"), hourlyCap: formData.get("hourlyCap") || 60 });
  if (!parsed.success) return { ok: false, fields: fieldErrors(parsed.error.issues) };
  const { key, client } = await createApiKey({
    kind: "WORKSPACE",
    workspaceId: workspace.id,
    name: parsed.data.name,
    hourlyCap: parsed.data.hourlyCap,
    createdById: user.id,
  });
  return { ok: true, secret: key, prefix: client.prefix };
});

export const revokeKeyAction = workspaceAction(OWNERS, async ({ workspace }, formData): Promise<KeyActionState> => {
  await revokeApiKey({ id: formText(formData, "id"), workspaceId: workspace.id });
  return { ok: true };
});

export const updateCapAction = workspaceAction(OWNERS, async ({ workspace }, formData): Promise<KeyActionState> => {
  const cap = z.coerce.number().int().safeParse(formData.get("hourlyCap"));
  if (!cap.success) return { ok: false, fields: { hourlyCap: "Use a whole number." } };
  await updateKeyLimits({ id: formText(formData, "id"), workspaceId: workspace.id, hourlyCap: cap.data });
  return { ok: true };
});

export const updateWebhookAction = workspaceAction(OWNERS, async ({ workspace }, formData): Promise<KeyActionState> => {
  await setKeyWebhook({ id: formText(formData, "id"), workspaceId: workspace.id, url: formText(formData, "webhookUrl").trim() || null });
  return { ok: true };
});

/** The origins that may frame the key's embedded billing (comma, space or line separated; empty: none). */
export const updateOriginsAction = workspaceAction(OWNERS, async ({ user, workspace }, formData): Promise<KeyActionState> => {
  await setAllowedOrigins({
    id: formText(formData, "id"),
    workspaceId: workspace.id,
    origins: formText(formData, "allowedOrigins"),
    actorUserId: user.id,
  });
  return { ok: true };
});
