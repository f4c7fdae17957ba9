"use server";

import { revalidatePath } from "next/cache";
import { actionFailure } from "@/lib/actions";
import { z } from "zod";
import { fieldErrors } from "@/lib/errors";
import { requireWorkspace } from "@/lib/auth/session";
import { createApiKey, revokeApiKey, setKeyWebhook, updateKeyLimits } from "@/lib/metering/keys";
import type { KeyActionResult as KeyActionState } from "@/components/api-keys/types";

const createSchema = z.object({
  name: z.string().trim().min(1, "Name the key, e.g. “Production backend”.").max(100, "Use at most 100 characters."),
  hourlyCap: z.coerce.number().int("Use a whole number.").min(1, "At least 1 call an hour.").max(1_000_000, "At most 1,000,000."),
});

/** Owners only (requireWorkspace checks the role on every call). The secret is returned once. */
export async function createKeyAction(formData: FormData): Promise<KeyActionState> {
  try {
    const { user, workspace } = await requireWorkspace({ role: "OWNER", renderedFor: formData });
    const parsed = createSchema.safeParse({ name: formData.get("name"), hourlyCap: formData.get("hourlyCap") || 60 });
    if (!parsed.success) return { ok: false, fields: fieldErrors(parsed.error.issues) };
    const { key, client } = await createApiKey({ kind: "WORKSPACE", workspaceId: workspace.id, name: parsed.data.name, hourlyCap: parsed.data.hourlyCap, createdById: user.id });
    revalidatePath("/settings/api-keys");
    return { ok: true, secret: key, prefix: client.prefix };
  } catch (err) {
    return actionFailure(err);
  }
}

export async function revokeKeyAction(formData: FormData): Promise<KeyActionState> {
  try {
    const { workspace } = await requireWorkspace({ role: "OWNER", renderedFor: formData });
    await revokeApiKey({ id: String(formData.get("id") ?? ""), workspaceId: workspace.id });
    revalidatePath("/settings/api-keys");
    return { ok: true };
  } catch (err) {
    return actionFailure(err);
  }
}

export async function updateCapAction(formData: FormData): Promise<KeyActionState> {
  try {
    const { workspace } = await requireWorkspace({ role: "OWNER", renderedFor: formData });
    const cap = z.coerce.number().int().safeParse(formData.get("hourlyCap"));
    if (!cap.success) return { ok: false, fields: { hourlyCap: "Use a whole number." } };
    await updateKeyLimits({ id: String(formData.get("id") ?? ""), workspaceId: workspace.id, hourlyCap: cap.data });
    revalidatePath("/settings/api-keys");
    return { ok: true };
  } catch (err) {
    return actionFailure(err);
  }
}

export async function updateWebhookAction(formData: FormData): Promise<KeyActionState> {
  try {
    const { workspace } = await requireWorkspace({ role: "OWNER", renderedFor: formData });
    const url = String(formData.get("webhookUrl") ?? "").trim();
    await setKeyWebhook({ id: String(formData.get("id") ?? ""), workspaceId: workspace.id, url: url || null });
    revalidatePath("/settings/api-keys");
    return { ok: true };
  } catch (err) {
    return actionFailure(err);
  }
}
