"use server";

import { z } from "zod";
import { adminAction, formText } from "@/lib/actions";
import { createPlatformKey, revokePlatformKey, setPlatformKeyCap, setPlatformKeyWebhook } from "@/lib/admin/platform-keys";
import { setAllowedOrigins } from "@/lib/portal-sessions/origins";
import type { KeyActionResult } from "@/components/api-keys/types";

const PAGE = { revalidate: "/admin/keys" };

/** Operators only (requireAdmin on every call). The secret is returned once. */
export const createPlatformKeyAction = adminAction(PAGE, async (operator, formData: FormData): Promise<KeyActionResult> => {
  const { key, prefix } = await createPlatformKey(
    {
      name: formText(formData, "name"),
      hourlyCap: String(formData.get("hourlyCap") || 60),
      allowedActions: formData.getAll("allowedActions").map(String),
    },
    operator.id,
  );
  return { ok: true, secret: key, prefix };
});

export const revokePlatformKeyAction = adminAction(PAGE, async (operator, formData: FormData): Promise<KeyActionResult> => {
  await revokePlatformKey(formText(formData, "id"), operator.id);
  return { ok: true };
});

export const updatePlatformKeyCapAction = adminAction(PAGE, async (operator, formData: FormData): Promise<KeyActionResult> => {
  const cap = z.coerce.number().int().safeParse(formData.get("hourlyCap"));
  if (!cap.success) return { ok: false, fields: { hourlyCap: "Use a whole number." } };
  await setPlatformKeyCap(formText(formData, "id"), cap.data, operator.id);
  return { ok: true };
});

export const updatePlatformKeyWebhookAction = adminAction(PAGE, async (operator, formData: FormData): Promise<KeyActionResult> => {
  await setPlatformKeyWebhook(formText(formData, "id"), formText(formData, "webhookUrl").trim() || null, operator.id);
  return { ok: true };
});

/** The origins that may frame the key's embedded billing (comma, space or line separated; empty: none). */
export const updatePlatformKeyOriginsAction = adminAction(PAGE, async (operator, formData: FormData): Promise<KeyActionResult> => {
  await setAllowedOrigins({
    id: formText(formData, "id"),
    workspaceId: null,
    origins: formText(formData, "allowedOrigins"),
    actorUserId: operator.id,
  });
  return { ok: true };
});
