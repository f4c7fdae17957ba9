import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ACTIONS } from "../../scripts/verify/authz-matrix";

/**
 * Server actions are public HTTP endpoints (anyone can post to an action id), so each one must check
 * who calls it. Every exported action in a "use server" file either calls one of the session guards of
 * lib/auth/session.ts (or is made by lib/actions.ts's adminAction / workspaceAction, which call them), or
 * is listed here as public with the reason it needs no session. A new action
 * without either fails this test. (The authorization matrix, e2e/authorization.global.spec.ts, does the
 * same for pages and routes over HTTP.)
 */
const GUARDS = ["requireWorkspace(", "requireAdmin(", "switchWorkspace(", "getSessionUser(", "= adminAction(", "= workspaceAction("];
const PUBLIC_ACTIONS: Record<string, string> = {
  signUpAction: "creates an account (rate limited per IP)",
  forgotPasswordAction: "asks for a reset mail; same answer for every address, throttled",
  resetPasswordAction: "authorized by the single-use reset token in the link",
  verifyEmailAction: "authorized by the single-use verification token in the link",
  signUpAndAcceptAction: "authorized by the invitation token; the account is made for the invited email only",
  unsubscribeAction: "authorized by the HMAC-signed unsubscribe link of a usage notice; it only turns usage notices off",
  contactSalesAction:
    "anyone may ask sales a question: validated again on the server, throttled per address and per email; a session only names the workspace",
};

function serverActionFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...serverActionFiles(full));
    else if (/\.tsx?$/.test(entry.name) && /^["']use server["'];/m.test(fs.readFileSync(full, "utf8"))) out.push(full);
  }
  return out;
}

describe("server actions", () => {
  const files = serverActionFiles("app");
  const actions = files.flatMap((file) => {
    const text = fs.readFileSync(file, "utf8");
    // A file's own helpers that call a guard (e.g. a context() that checks the form's workspace) count as guards there.
    const helpers = [...text.matchAll(/^(?:async )?function (\w+)\([^]*?^\}/gm)]
      .filter((m) => GUARDS.some((g) => m[0].includes(g)))
      .map((m) => `${m[1]}(`);
    const starts = [...text.matchAll(/^export (?:async function (\w+)|const (\w+) = )/gm)];
    return starts.map((m, i) => ({
      file,
      name: (m[1] ?? m[2])!,
      guards: [...GUARDS, ...helpers],
      body: text.slice(m.index, starts[i + 1]?.index ?? text.length),
    }));
  });

  it("are found (the scan works)", () => {
    expect(files.length).toBeGreaterThan(10);
    expect(actions.map((a) => a.name)).toContain("createKeyAction");
    // The operator's resolutions of an x402 payment that settled but was not recorded (app/(admin)/admin/x402).
    expect(actions.map((a) => a.name)).toEqual(expect.arrayContaining(["recordX402PaymentAction", "refundX402PaymentAction"]));
  });

  it("each call a session guard or are listed as public with a reason", () => {
    const unguarded = actions
      .filter((a) => !a.guards.some((g) => a.body.includes(g)) && !(a.name in PUBLIC_ACTIONS))
      .map((a) => `${a.name} (${a.file})`);
    expect(unguarded).toEqual([]);
  });

  // `npm run verify` (scenario 9) calls every action as 12 kinds of caller and compares the answers with
  // this table; an action without a row fails there, long after the change that added it. Caught here.
  it("each have a row in the authorization matrix (scripts/verify/authz-matrix.ts), and every row an action", () => {
    const onDisk = actions.map((a) => `${a.file}#${a.name}`).sort();
    expect(onDisk.filter((key) => !(key in ACTIONS))).toEqual([]);
    expect(Object.keys(ACTIONS).filter((key) => !onDisk.includes(key))).toEqual([]);
  });

  it("listed as public exist (the list stays true)", () => {
    for (const name of Object.keys(PUBLIC_ACTIONS)) {
      const action = actions.find((a) => a.name === name);
      expect(action, name).toBeDefined();
    }
  });
});
