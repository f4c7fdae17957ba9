import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { userForSession } from "@/lib/auth/session";
import { deleteExpiredRevocations, endAllSessions, revokeSession, SESSION_MAX_AGE_S } from "@/lib/auth/session-revocation";
import { newAccount, signedIn } from "./helpers";

describe("sessions end on the server", () => {
  it("a signed-out session is refused, the user's other sessions are not", async () => {
    const { userId } = await newAccount("signout");
    const laptop = await signedIn(userId);
    const phone = await signedIn(userId);
    expect(await userForSession(laptop)).toMatchObject({ id: userId });

    await revokeSession(laptop);
    await revokeSession(laptop); // signing out twice is harmless
    expect(await userForSession(laptop)).toBeNull();
    expect(await userForSession(phone)).toMatchObject({ id: userId });
  });

  it("sign out everywhere ends every session; a new sign-in counts", async () => {
    const { userId } = await newAccount("everywhere");
    const sessions = [await signedIn(userId), await signedIn(userId)];
    await endAllSessions(userId);
    for (const claims of sessions) expect(await userForSession(claims)).toBeNull();
    expect(await userForSession(await signedIn(userId))).toMatchObject({ id: userId });
  });

  it("a session from before session ids, signed out, ends all of that user's sessions (it cannot be named alone)", async () => {
    const { userId } = await newAccount("legacy");
    const legacy = { uid: userId, authAt: Date.now() };
    expect(await userForSession(legacy)).toMatchObject({ id: userId });
    await revokeSession(legacy);
    expect(await userForSession(legacy)).toBeNull();
  });

  it("has an absolute lifetime, whatever the cookie's refreshed expiry says", async () => {
    const { userId } = await newAccount("lifetime");
    const claims = await signedIn(userId);
    expect(await userForSession({ ...claims, authAt: Date.now() - SESSION_MAX_AGE_S * 1000 + 60_000 })).toMatchObject({ id: userId });
    expect(await userForSession({ ...claims, authAt: Date.now() - SESSION_MAX_AGE_S * 1000 - 1 })).toBeNull();
    expect(await userForSession({ ...claims, authAt: undefined })).toBeNull();
  });

  it("revocations are kept until the session could not be used anyway, then swept", async () => {
    const { userId } = await newAccount("sweep");
    const old = { ...(await signedIn(userId)), authAt: Date.now() - SESSION_MAX_AGE_S * 1000 - 60_000 };
    const fresh = await signedIn(userId);
    await revokeSession(old);
    await revokeSession(fresh);
    expect(await deleteExpiredRevocations()).toBeGreaterThanOrEqual(1);
    const left = await db.revokedSession.findMany({ where: { userId }, select: { sid: true } });
    expect(left.map((r) => r.sid)).toEqual([fresh.sid]);
    expect(await userForSession(fresh)).toBeNull();
  });
});
