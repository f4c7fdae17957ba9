import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { POST as track } from "@/app/api/v1/track/route";
import { createPlatformKey, listPlatformKeys, revokePlatformKey, setPlatformKeyCap } from "@/lib/admin/platform-keys";
import { call } from "./api-support";
import { newAccount, workspaceWith } from "./helpers";

async function operator() {
  const account = await newAccount("keys-operator");
  await db.user.update({ where: { id: account.userId }, data: { isAdmin: true } });
  return account.userId;
}

describe("platform keys from the operator console", () => {
  it("creates a key shown once (only its hash stored) that debits any named workspace, and audits it", async () => {
    const admin = await operator();
    const w = await workspaceWith(100, "platform-target");
    const { key, prefix } = await createPlatformKey({ name: "Backend", hourlyCap: "120", allowedActions: [] }, admin);
    expect(key.startsWith(prefix)).toBe(true);
    const row = await db.apiClient.findFirstOrThrow({ where: { prefix } });
    expect(row.kind).toBe("PLATFORM");
    expect(row.workspaceId).toBeNull();
    expect(row.hourlyCap).toBe(120);
    expect(JSON.stringify(row)).not.toContain(key.slice(prefix.length + 1));
    expect((await listPlatformKeys()).some((k) => k.prefix === prefix)).toBe(true);

    const res = await call(track, { key, body: { action: "aria.chat", workspace_id: w.workspaceId } });
    expect(res.status).toBe(201);
    expect(res.json.remaining).toBe(99);
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "platform_key.create", targetId: row.id } });
    expect(audit.actorUserId).toBe(admin);
  });

  it("restricts a key to some actions: anything else is 403 policy_denied", async () => {
    const admin = await operator();
    const w = await workspaceWith(100, "platform-restricted");
    const { key } = await createPlatformKey({ name: "Images only", hourlyCap: 60, allowedActions: ["image.generate"] }, admin);
    expect((await call(track, { key, body: { action: "image.generate", workspace_id: w.workspaceId } })).status).toBe(201);
    const denied = await call(track, { key, body: { action: "aria.chat", workspace_id: w.workspaceId } });
    expect(denied.status).toBe(403);
    expect(denied.json.error?.code).toBe("policy_denied");
  });

  it("refuses bad input with field errors and creates nothing", async () => {
    const admin = await operator();
    const before = await db.apiClient.count({ where: { kind: "PLATFORM" } });
    for (const input of [
      { name: "", hourlyCap: 60, allowedActions: [] },
      { name: "x", hourlyCap: 0, allowedActions: [] },
      { name: "x", hourlyCap: "lots", allowedActions: [] },
      { name: "x", hourlyCap: 60, allowedActions: ["no.such.action"] },
    ]) {
      const err = await createPlatformKey(input, admin).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("invalid_request");
      expect(Object.keys(((err as AppError).options.details?.fields ?? {}) as object).length).toBeGreaterThan(0);
    }
    expect(await db.apiClient.count({ where: { kind: "PLATFORM" } })).toBe(before);
  });

  it("changes the cap and revokes with audit entries; a revoked key is 401; workspace keys are out of reach", async () => {
    const admin = await operator();
    const w = await workspaceWith(100, "platform-revoke");
    const { key, prefix } = await createPlatformKey({ name: "Temp", hourlyCap: 60, allowedActions: [] }, admin);
    const row = await db.apiClient.findFirstOrThrow({ where: { prefix } });
    await setPlatformKeyCap(row.id, 5, admin);
    expect((await db.apiClient.findUniqueOrThrow({ where: { id: row.id } })).hourlyCap).toBe(5);
    await revokePlatformKey(row.id, admin);
    await revokePlatformKey(row.id, admin); // twice: harmless, audited once
    const res = await call(track, { key, body: { action: "aria.chat", workspace_id: w.workspaceId } });
    expect(res.status).toBe(401);
    const audits = await db.auditLog.findMany({ where: { targetId: row.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(audits.map((a) => a.action)).toEqual(["platform_key.create", "platform_key.update", "platform_key.revoke"]);
    expect(audits[1]!.data).toMatchObject({ before: { hourlyCap: 60 }, after: { hourlyCap: 5 } });

    // A workspace's own key is not a platform key: the console cannot touch it by id.
    const workspaceKey = await db.apiClient.create({
      data: { kind: "WORKSPACE", workspaceId: w.workspaceId, name: "ws", prefix: `cb_live_${row.id}x`, secretHash: "x" },
    });
    const err = await revokePlatformKey(workspaceKey.id, admin).catch((e: unknown) => e);
    expect((err as AppError).code).toBe("not_found");
    expect((await db.apiClient.findUniqueOrThrow({ where: { id: workspaceKey.id } })).revokedAt).toBeNull();
  });
});
