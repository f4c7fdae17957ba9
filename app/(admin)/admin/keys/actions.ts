"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actionFailure } from "@/lib/actions";
import { requireAdmin } from "@/lib/auth/session";
import { createPlatformKey, revokePlatformKey, setPlatformKeyCap, setPlatformKeyWebhook } from "@/lib/admin/platform-keys";
import type { KeyActionResult } from "@/components/api-keys/types";

const id = (formData: FormData) => String(formData.get("id") ?? "");

/** Operators only (requireAdmin on every call). The secret is returned once. */
export async function createPlatformKeyAction(formData: FormData): Promise<KeyActionResult> {
  try {
    const operator = await requireAdmin();
    const { key, prefix } = await createPlatformKey(
      { name: String(formData.get("name") ?? ""), hourlyCap: String(formData.get("hourlyCap") || 60), allowedActions: formData.getAll("allowedActions").map(String) },
      operator.id,
    );
    revalidatePath("/admin/keys");
    return { ok: true, secret: key, prefix };
  } catch (err) {
    return actionFailure(err);
  }
}

export async function revokePlatformKeyAction(formData: FormData): Promise<KeyActionResult> {
  try {
    const operator = await requireAdmin();
    await revokePlatformKey(id(formData), operator.id);
    revalidatePath("/admin/keys");
    return { ok: true };
  } catch (err) {
    return actionFailure(err);
  }
}

export async function updatePlatformKeyCapAction(formData: FormData): Promise<KeyActionResult> {
  try {
    const operator = await requireAdmin();
    const cap = z.coerce.number().int().safeParse(formData.get("hourlyCap"));
    if (!cap.success) return { ok: false, fields: { hourlyCap: "Use a whole number." } };
    await setPlatformKeyCap(id(formData), cap.data, operator.id);
    revalidatePath("/admin/keys");
    return { ok: true };
  } catch (err) {
    return actionFailure(err);
  }
}

export async function updatePlatformKeyWebhookAction(formData: FormData): Promise<KeyActionResult> {
  try {
    const operator = await requireAdmin();
    const url = String(formData.get("webhookUrl") ?? "").trim();
    await setPlatformKeyWebhook(id(formData), url || null, operator.id);
    revalidatePath("/admin/keys");
    return { ok: true };
  } catch (err) {
    return actionFailure(err);
  }
}
