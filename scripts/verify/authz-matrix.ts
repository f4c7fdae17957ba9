// Scenario 9's table: every page, route and server action of the app × every kind of caller → the answer
// it must get, written out by hand, one string of 12 answers per request (the columns below). The
// scenario (authz.ts) checks the table against the app on disk and in the build: a page.tsx, route.ts
// or server action without a row fails it, as does a row without one.
//
// The callers all aim at one workspace W (its ids in URLs, bodies, the workspace cookie and the server
// actions' rendered-workspace field):
//   anon     no cookie, no key
//   member   a MEMBER of W, signed in, W current
//   billing  a member of W while W pays (W is on the Scale plan): Creditbook has no billing role (Role
//            is OWNER | MEMBER), so a member who handles the bills is a MEMBER and gets exactly what
//            `member` gets
//   owner    W's owner, signed in
//   other    the owner of another workspace, signed in, W named in the cookie and the forms
//   removed  a member removed from W after signing in (still holding the session and the cookie)
//   demoted  an owner of W demoted to MEMBER after signing in
//   revoked  a revoked key of W
//   otherKey a valid key of another workspace naming W (forged workspace_id)
//   key      a valid key of W
//   platform an operator's platform key (it belongs to no workspace) naming W
//   operator a platform operator, signed in (W named in the cookie; their own workspace is current)
// Keys go as `Authorization: Bearer`; pages, session routes and actions ignore them (a key and no
// cookie is anonymous there). Everyone who is signed in also owns a personal workspace (made at sign-up),
// which the app falls back to when W is not theirs: a 200 there is their own data, which the scenario
// checks separately (no answer to a caller outside W contains W's name or id).
//
// The answers: an HTTP status, or for pages and actions
//   307   sent to the sign-in page (a page's redirect or an action's redirect to /login)
//   away  redirected elsewhere (a signed-in visitor opening /login; an action that succeeded and moves on)
// and for server actions (HTTP 200 carrying the action's result):
//   200   ok (or an action that returns nothing)
//   400   refused on its input, after the authorization checks passed
//   401   "Sign in …"
//   403   refused: not an owner / not a member
//   409   the form was rendered for W, which is not the caller's workspace: nothing done
//   404   the operator console's not-found (requireAdmin for anyone else)

export const CALLERS = [
  "anon",
  "member",
  "billing",
  "owner",
  "other",
  "removed",
  "demoted",
  "revoked",
  "otherKey",
  "key",
  "platform",
  "operator",
] as const;
export type Caller = (typeof CALLERS)[number];
/** Callers who may see W: anything of W (its name, its id) in an answer to anyone else is a leak. */
export const INSIDE_W: ReadonlySet<Caller> = new Set(["member", "billing", "owner", "demoted", "key", "platform"]);

/** What a row's functions get: W's ids, and fresh ids of W for routes that consume them. */
export type Fixture = {
  W: string;
  /** A key of W (the owner's) and one already revoked, the member's membership. */
  keyId: string;
  revokedKeyId: string;
  memberMembershipId: string;
  /** Two pending invitations of W: one to renew, one to revoke. */
  invitationIds: [string, string];
  eventId: () => Promise<string>;
  reservationId: () => Promise<string>;
};

/** A form field map; `W` in a value is replaced by W's id. */
type Form = Record<string, string>;
/** `showsAll`: the answer shows every workspace's data by design (the test-mode mail outbox): not a leak of W. */
export type RequestCase = {
  kind: "http";
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string | ((f: Fixture) => Promise<string> | string);
  body?: object;
  namesWorkspace?: false;
  showsAll?: true;
  expect: string;
};
/**
 * A server action posted the way Next's client does: to a page of the action (`page`), `Next-Action`
 * header, the arguments encoded as React's encodeReply does (bound arguments first, then the form).
 * `last`: it ends or changes the caller's session or membership, so it runs after every other row.
 */
export type ActionCase = {
  kind: "action";
  page: string;
  bound?: (f: Fixture) => (string | boolean)[];
  form?: (f: Fixture) => Form;
  noForm?: true;
  last?: 1 | 2;
  expect: string;
};
export type Case = RequestCase | ActionCase;

// ── the rows that repeat ──────────────────────────────────────────────────────────────────────────
//                    anon   member billing owner  other  removed demoted revoked otherKey key  platform operator
const PUBLIC = "200    200    200     200    200    200     200     200     200      200  200      200";
const PORTAL_PAGE = "307    200    200     200    200    200     200     307     307      307  307      200";
const ADMIN_PAGE = "307    404    404     404    404    404     404     307     307      307  307      200";
const SESSION_READ = "401    200    200     200    200    200     200     401     401      401  401      200";
const OWNER_ROUTE = "401    403    403     200    200    200     403     401     401      401  401      200";
const OWNER_INPUT = "401    403    403     400    400    400     403     401     401      401  401      400";
const OWNER_NOTHING = "401   403    403     409    409    409     403     401     401      401  401      409";
const METERED = "401    401    401     401    401    401     401     401     403      200  200      401";
const METERED_NEW = "401    401    401     401    401    401     401     401     403      201  201      401";
const ALL_400 = "400    400    400     400    400    400     400     400     400      400  400      400";
const ALL_AWAY = "away   away   away    away   away   away    away    away    away     away away     away";
const ACCOUNT = "307    200    200     200    200    200     200     307     307      307  307      200";
const OWNER_ACTION = "307    403    403     200    409    409     403     307     307      307  307      409";
const OWNER_REFUSE = "307    403    403     400    409    409     403     307     307      307  307      409";
const ADMIN_ACTION = "307    404    404     404    404    404     404     307     307      307  307      400";
const SWITCH_TO_W = "401    away   away    away   403    403     away    401     401      401  401      403";
const PORTAL_SECRET = "401    401    401     401    401    401     401     401     401      401  401      401";

const get = (path: RequestCase["path"], expect: string): RequestCase => ({ kind: "http", method: "GET", path, expect });
const send = (
  method: RequestCase["method"],
  path: RequestCase["path"],
  body: object | undefined,
  expect: string,
  namesWorkspace?: false,
): RequestCase => ({ kind: "http", method, path, body, expect, namesWorkspace });
/** A workspace-scoped action: its form names W as the workspace it was rendered for. */
const scoped = (page: string, fields: (f: Fixture) => Form, expect: string, last?: 1 | 2): ActionCase => ({
  kind: "action",
  page,
  form: (f) => ({ workspaceId: f.W, ...fields(f) }),
  expect,
  last,
});
const action = (page: string, form: Form, expect: string): ActionCase => ({ kind: "action", page, form: () => form, expect });
const admin = (page: string, form: Form, bound?: (f: Fixture) => (string | boolean)[]): ActionCase => ({
  kind: "action",
  page,
  form: () => form,
  bound,
  expect: ADMIN_ACTION,
});

/** Pages and routes: their file under app/ → the requests that exercise it. */
export const ROUTES: Record<string, RequestCase[]> = {
  // ── pages ──
  "(marketing)/page.tsx": [get("/", PUBLIC)],
  "(marketing)/pricing/page.tsx": [get("/pricing", PUBLIC)],
  "(marketing)/docs/api/page.tsx": [get("/docs/api", PUBLIC)],
  "(marketing)/contact-sales/page.tsx": [get("/contact-sales?plan=enterprise&from=pricing", PUBLIC)],
  //                                                    anon   member billing owner  other  removed demoted revoked otherKey key  platform operator
  "(auth)/login/page.tsx": [get("/login", "200    away   away    away   away   away    away    200     200      200  200      away")],
  "(auth)/signup/page.tsx": [get("/signup", PUBLIC)],
  "(auth)/forgot-password/page.tsx": [get("/forgot-password", PUBLIC)],
  "(auth)/reset-password/[token]/page.tsx": [get("/reset-password/not-a-token", PUBLIC)],
  "(auth)/verify-email/[token]/page.tsx": [get("/verify-email/not-a-token", PUBLIC)],
  "(auth)/invite/[token]/page.tsx": [get("/invite/not-a-token", PUBLIC)],
  "(auth)/mail/unsubscribe/page.tsx": [get("/mail/unsubscribe?u=nobody&t=forged", PUBLIC)],
  // The demo/test mail outbox: every mail sent (W's invitations too), in demo and test mode only (404 otherwise).
  "dev/mail/page.tsx": [{ ...get("/dev/mail", PUBLIC), showsAll: true }],
  // Billing inside an AI product: the single-use link is the authority (a made-up one says "ask to reopen").
  "(portal)/portal/[token]/page.tsx": [get("/portal/not-a-token", PUBLIC)],
  "(portal)/embed/[token]/page.tsx": [get("/embed/not-a-token", PUBLIC)],
  "(portal)/portal/return/page.tsx": [get("/portal/return?ps=nobody&checkout=cancelled", PUBLIC)],
  "(app)/settings/billing/page.tsx": [get("/settings/billing", PORTAL_PAGE)],
  "(app)/settings/usage/page.tsx": [get("/settings/usage", PORTAL_PAGE)],
  "(app)/settings/api-keys/page.tsx": [get("/settings/api-keys", PORTAL_PAGE)],
  "(app)/settings/alerts/page.tsx": [get("/settings/alerts", PORTAL_PAGE)],
  "(app)/settings/members/page.tsx": [get("/settings/members", PORTAL_PAGE)],
  "(app)/settings/data/page.tsx": [get("/settings/data", PORTAL_PAGE)],
  "(app)/settings/account/page.tsx": [get("/settings/account", PORTAL_PAGE)],
  "(admin)/admin/page.tsx": [get("/admin", ADMIN_PAGE)],
  "(admin)/admin/workspaces/page.tsx": [get("/admin/workspaces", ADMIN_PAGE)],
  "(admin)/admin/workspaces/[id]/page.tsx": [get((f) => `/admin/workspaces/${f.W}`, ADMIN_PAGE)],
  "(admin)/admin/ledger/page.tsx": [get((f) => `/admin/ledger?workspace=${f.W}`, ADMIN_PAGE)],
  "(admin)/admin/prices/page.tsx": [get("/admin/prices", ADMIN_PAGE)],
  "(admin)/admin/prices/[action]/page.tsx": [get("/admin/prices/aria.chat", ADMIN_PAGE)],
  "(admin)/admin/catalog/page.tsx": [get("/admin/catalog", ADMIN_PAGE)],
  "(admin)/admin/keys/page.tsx": [get("/admin/keys", ADMIN_PAGE)],
  "(admin)/admin/stripe/page.tsx": [get("/admin/stripe", ADMIN_PAGE)],
  "(admin)/admin/audit/page.tsx": [get("/admin/audit", ADMIN_PAGE)],
  "(admin)/admin/x402/page.tsx": [get("/admin/x402", ADMIN_PAGE)],
  "(admin)/admin/leads/page.tsx": [get("/admin/leads", ADMIN_PAGE)],

  // ── public and infrastructure routes ──
  "api/health/route.ts": [get("/api/health", PUBLIC)],
  "api/ready/route.ts": [get("/api/ready", PUBLIC)],
  "api/[...path]/route.ts": [
    get("/api/v1/no-such-endpoint", "404 404 404 404 404 404 404 404 404 404 404 404"),
    send("POST", "/api/nothing/here", {}, "404 404 404 404 404 404 404 404 404 404 404 404"),
  ],
  "api/ping/route.ts": [get("/api/ping", PUBLIC)],
  "api/auth/[...nextauth]/route.ts": [get("/api/auth/providers", PUBLIC)],
  "api/x402/status/route.ts": [get("/api/x402/status", PUBLIC)],
  // x402 is off in the verify stack (no facilitator configured): not found for everyone, whoever asks.
  "api/x402/credits/route.ts": [
    send("POST", "/api/x402/credits", { pack_id: "starter_1000" }, "404 404 404 404 404 404 404 404 404 404 404 404", false),
  ],
  "api/v1/pricing/route.ts": [get("/api/v1/pricing", PUBLIC)],
  "api/v1/openapi.json/route.ts": [get("/api/v1/openapi.json", PUBLIC)],
  // Signed by Stripe / by the unsubscribe link, not by a caller.
  "api/stripe/webhook/route.ts": [send("POST", "/api/stripe/webhook", { id: "evt_forged", type: "checkout.session.completed" }, ALL_400)],
  "api/mail/unsubscribe/route.ts": [send("POST", "/api/mail/unsubscribe?u=nobody&t=forged", {}, ALL_400, false)],
  // Test mode only (the verify instances run in test mode).
  "api/test/clock/route.ts": [get("/api/test/clock", PUBLIC)],
  "api/test/usage/route.ts": [send("POST", "/api/test/usage", {}, ALL_400)],
  "api/test/jobs/route.ts": [send("POST", "/api/test/jobs", {}, ALL_400)],

  // ── the portal's session routes (a caller outside W gets their own workspace) ──
  "api/workspace/balance/route.ts": [get("/api/workspace/balance", SESSION_READ)],
  "api/workspace/usage.csv/route.ts": [get("/api/workspace/usage.csv", SESSION_READ)],
  "api/workspace/export/route.ts": [get("/api/workspace/export", OWNER_ROUTE)],
  "api/workspace/ledger.csv/route.ts": [get("/api/workspace/ledger.csv", OWNER_ROUTE)],
  "api/stripe/create-checkout/route.ts": [send("POST", "/api/stripe/create-checkout", {}, OWNER_INPUT)],
  "api/stripe/change-plan/route.ts": [send("POST", "/api/stripe/change-plan", {}, OWNER_INPUT)],
  "api/stripe/change-plan/preview/route.ts": [send("POST", "/api/stripe/change-plan/preview", {}, OWNER_INPUT)],
  // Owners only; none of these workspaces has a subscription, so there is no change to undo (409).
  "api/stripe/change-plan/undo/route.ts": [send("POST", "/api/stripe/change-plan/undo", undefined, OWNER_NOTHING)],
  // Any signed-in caller: it applies what Stripe says about a checkout of their current workspace only.
  "api/stripe/checkout-return/route.ts": [get("/api/stripe/checkout-return?session_id=cs_unknown", SESSION_READ)],
  "api/workspace/auto-top-up/route.ts": [
    get("/api/workspace/auto-top-up", SESSION_READ),
    send("PUT", "/api/workspace/auto-top-up", { enabled: "maybe" }, OWNER_INPUT),
  ],
  "api/workspace/auto-top-up/notice/route.ts": [send("DELETE", "/api/workspace/auto-top-up/notice", undefined, OWNER_ROUTE)],
  "api/stripe/auto-top-up/setup/route.ts": [send("POST", "/api/stripe/auto-top-up/setup", undefined, OWNER_ROUTE)],
  "api/stripe/portal/route.ts": [send("POST", "/api/stripe/portal", undefined, OWNER_ROUTE)],

  // ── billing inside an AI product: only a portal session's secret header opens these; cookies and keys give nothing ──
  "api/portal/balance/route.ts": [get("/api/portal/balance", PORTAL_SECRET)],
  "api/portal/plan/route.ts": [get("/api/portal/plan", PORTAL_SECRET)],
  "api/portal/checkout/route.ts": [send("POST", "/api/portal/checkout", { pack_id: "starter_1000" }, PORTAL_SECRET)],
  "api/portal/manage-billing/route.ts": [send("POST", "/api/portal/manage-billing", undefined, PORTAL_SECRET)],
  "api/portal/change-plan/route.ts": [send("POST", "/api/portal/change-plan", { plan: "pro" }, PORTAL_SECRET)],
  "api/portal/change-plan/preview/route.ts": [send("POST", "/api/portal/change-plan/preview", { plan: "pro" }, PORTAL_SECRET)],
  "api/portal/change-plan/undo/route.ts": [send("POST", "/api/portal/change-plan/undo", undefined, PORTAL_SECRET)],

  // ── the metering API (keys; they name W: workspace_id in the query or the body) ──
  "api/v1/track/route.ts": [send("POST", "/api/v1/track", { action: "aria.chat" }, METERED_NEW)],
  "api/v1/check/route.ts": [send("POST", "/api/v1/check", { action: "aria.chat" }, METERED)],
  "api/v1/balance/route.ts": [get("/api/v1/balance", METERED)],
  "api/v1/usage/route.ts": [get("/api/v1/usage", METERED)],
  "api/v1/entitlements/route.ts": [get("/api/v1/entitlements", METERED)],
  "api/v1/budgets/route.ts": [
    get("/api/v1/budgets", METERED),
    send("PUT", "/api/v1/budgets", { scope: "workspace", period: "day", limit: 1_000_000 }, METERED),
  ],
  // No such budget: a caller let in is answered 404, one kept out 401/403.
  "api/v1/budgets/[id]/route.ts": [
    send(
      "DELETE",
      "/api/v1/budgets/no-such-budget",
      undefined,
      "401    401    401     401    401    401     401     401     403      404  404      401",
    ),
  ],
  "api/v1/entitlements/check/route.ts": [send("POST", "/api/v1/entitlements/check", { key: "seats", requested: 1 }, METERED)],
  "api/v1/reservations/route.ts": [send("POST", "/api/v1/reservations", { action: "stems.separate" }, METERED_NEW)],
  "api/v1/reservations/[id]/commit/route.ts": [
    send("POST", async (f) => `/api/v1/reservations/${await f.reservationId()}/commit`, { actual: 10 }, METERED),
  ],
  "api/v1/reservations/[id]/release/route.ts": [
    send("POST", async (f) => `/api/v1/reservations/${await f.reservationId()}/release`, {}, METERED),
  ],
  "api/v1/events/[id]/route.ts": [get(async (f) => `/api/v1/events/${await f.eventId()}`, METERED)],
  "api/v1/events/[id]/refund/route.ts": [send("POST", async (f) => `/api/v1/events/${await f.eventId()}/refund`, {}, METERED)],
  "api/v1/portal_sessions/route.ts": [
    send(
      "POST",
      "/api/v1/portal_sessions",
      { user: { id: "verify-authz", email: "verify-authz@example.test", role: "viewer" } },
      METERED_NEW,
    ),
  ],
  //                                                                                                                      anon member billing owner other removed demoted revoked otherKey key platform operator
  "api/v1/portal_sessions/[id]/revoke/route.ts": [
    send(
      "POST",
      "/api/v1/portal_sessions/no-such-session/revoke",
      {},
      "401  401    401     401   401   401     401     401     403      404 404      401",
    ),
  ],
  // The calling key's own origins: every valid key has its own (none names W).
  "api/v1/embed_origins/route.ts": [
    {
      ...get("/api/v1/embed_origins", "401  401    401     401   401   401     401     401     200      200 200      401"),
      namesWorkspace: false,
    },
    send(
      "PUT",
      "/api/v1/embed_origins",
      { origins: [] },
      "401  401    401     401   401   401     401     401     200      200 200      401",
      false,
    ),
  ],
  // Platform keys only: a workspace key may not create workspaces.
  //                                                                                                                      anon member billing owner other removed demoted revoked otherKey key platform operator
  "api/v1/workspaces/[external_id]/route.ts": [
    send(
      "PUT",
      () => `/api/v1/workspaces/verify-authz-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
      {},
      "401  401    401     401   401   401     401     401     403      403 201      401",
      false,
    ),
  ],
};

/** Server actions: "file#export" as the build's server-reference manifest names them → the calls. */
export const ACTIONS: Record<string, ActionCase[]> = {
  // ── public: each checks its own token, link or input ──
  "app/(marketing)/contact-sales/actions.ts#contactSalesAction": [action("/contact-sales", {}, ALL_400)],
  "app/(auth)/forgot-password/actions.ts#forgotPasswordAction": [action("/forgot-password", { email: "" }, ALL_400)],
  "app/(auth)/signup/actions.ts#signUpAction": [action("/signup", { email: "", password: "" }, ALL_400)],
  "app/(auth)/reset-password/[token]/actions.ts#resetPasswordAction": [
    action("/reset-password/not-a-token", { token: "not-a-token", password: "" }, ALL_400),
  ],
  "app/(auth)/invite/[token]/actions.ts#signUpAndAcceptAction": [
    action("/invite/not-a-token", { token: "not-a-token", password: "" }, ALL_400),
  ],
  //                                                                                                                   anon member billing owner other removed demoted revoked otherKey key platform operator
  "app/(auth)/invite/[token]/actions.ts#acceptInvitationAction": [
    action(
      "/invite/not-a-token",
      { token: "not-a-token" },
      "401  400    400     400   400   400     400     401     401      401 401      400",
    ),
  ],
  "app/(auth)/invite/[token]/actions.ts#enterWorkspaceAction": [
    { kind: "action", page: "/invite/not-a-token", form: (f) => ({ workspaceId: f.W }), expect: SWITCH_TO_W },
  ],
  "app/(auth)/mail/unsubscribe/actions.ts#unsubscribeAction": [action("/mail/unsubscribe", { u: "nobody", t: "forged" }, ALL_AWAY)],
  "app/(auth)/verify-email/[token]/actions.ts#verifyEmailAction": [action("/verify-email/not-a-token", { token: "not-a-token" }, ALL_AWAY)],

  // ── the signed-in user's own account ──
  "app/(app)/workspace-actions.ts#switchWorkspaceAction": [
    { kind: "action", page: "/settings/account", form: (f) => ({ workspaceId: f.W, returnTo: "/settings/billing" }), expect: SWITCH_TO_W },
  ],
  "app/(app)/settings/account/actions.ts#resendVerificationAction": [
    { kind: "action", page: "/settings/account", noForm: true, expect: ACCOUNT },
  ],
  "app/(app)/settings/account/actions.ts#updateMailSettingsAction": [action("/settings/account", { usageNotices: "on" }, ACCOUNT)],
  // The typed email does not match: nothing is deleted.
  "app/(app)/settings/account/actions.ts#deleteAccountAction": [
    action("/settings/account", { confirm: "not-my-email@example.test" }, "307 400 400 400 400 400 400 307 307 307 307 400"),
  ],
  "app/(app)/settings/account/actions.ts#signOutEverywhereAction": [
    { kind: "action", page: "/settings/account", noForm: true, last: 2, expect: ACCOUNT },
  ],

  // ── W's settings: owners of W only; members of W refused; outsiders' forms name W and do nothing ──
  "app/(app)/settings/api-keys/actions.ts#createKeyAction": [
    scoped("/settings/api-keys", () => ({ name: "", hourlyCap: "60" }), OWNER_REFUSE),
  ],
  // Revoking the key that is revoked already: idempotent for W's owner.
  "app/(app)/settings/api-keys/actions.ts#revokeKeyAction": [scoped("/settings/api-keys", (f) => ({ id: f.revokedKeyId }), OWNER_ACTION)],
  "app/(app)/settings/api-keys/actions.ts#updateCapAction": [
    scoped("/settings/api-keys", (f) => ({ id: f.keyId, hourlyCap: "100000" }), OWNER_ACTION),
  ],
  "app/(app)/settings/api-keys/actions.ts#updateWebhookAction": [
    scoped("/settings/api-keys", (f) => ({ id: f.keyId, webhookUrl: "" }), OWNER_ACTION),
  ],
  "app/(app)/settings/api-keys/actions.ts#updateOriginsAction": [
    scoped("/settings/api-keys", (f) => ({ id: f.keyId, allowedOrigins: "" }), OWNER_ACTION),
  ],
  "app/(app)/settings/alerts/actions.ts#updateAlertSettingsAction": [
    scoped("/settings/alerts", () => ({ thresholds: "80", webhookUrl: "" }), OWNER_ACTION),
  ],
  //                                                                                                                     anon member billing owner other removed demoted revoked otherKey key platform operator
  "app/(app)/settings/alerts/actions.ts#dismissUsageAlertAction": [
    scoped(
      "/settings/alerts",
      () => ({ id: "no-such-alert" }),
      "307  400    400     400   409   409     400     307     307      307 307      409",
    ),
  ],
  // Budgets (Billing, API keys, Members): an empty amount is refused before anything is written; removing a
  // budget that does not exist is idempotent for W's owner.
  "app/(app)/settings/budget-actions.ts#setBudgetAction": [
    scoped("/settings/billing", () => ({ scope: "workspace", period: "month", mode: "hard", unit: "credits", limit: "" }), OWNER_REFUSE),
  ],
  "app/(app)/settings/budget-actions.ts#removeBudgetAction": [scoped("/settings/billing", () => ({ id: "no-such-budget" }), OWNER_ACTION)],
  "app/(app)/settings/members/actions.ts#inviteAction": [
    scoped("/settings/members", () => ({ email: `verify-authz-invitee@example.test`, role: "MEMBER" }), OWNER_ACTION),
  ],
  "app/(app)/settings/members/actions.ts#renewInvitationAction": [
    scoped("/settings/members", (f) => ({ id: f.invitationIds[0] }), OWNER_ACTION),
  ],
  "app/(app)/settings/members/actions.ts#revokeInvitationAction": [
    scoped("/settings/members", (f) => ({ id: f.invitationIds[1] }), OWNER_ACTION),
  ],
  // The member stays a member.
  "app/(app)/settings/members/actions.ts#changeRoleAction": [
    scoped("/settings/members", (f) => ({ id: f.memberMembershipId, role: "MEMBER" }), OWNER_ACTION),
  ],
  "app/(app)/settings/members/actions.ts#removeMemberAction": [
    scoped("/settings/members", () => ({ id: "no-such-membership" }), OWNER_REFUSE),
  ],
  // Members of W leave it (after every other row); W's last owner may not.
  //                                                                                                                  anon member billing owner other removed demoted revoked otherKey key platform operator
  "app/(app)/settings/members/actions.ts#leaveWorkspaceAction": [
    scoped("/settings/members", () => ({}), "307  away   away    400   409   409     away    307     307      307 307      409", 1),
  ],

  // ── the operator console: operators only, everyone else signed in gets the console's 404 ──
  "app/(admin)/admin/catalog/actions.ts#updatePlanAction": [admin("/admin/catalog", {}, () => ["no-such-plan"])],
  "app/(admin)/admin/catalog/actions.ts#savePackAction": [admin("/admin/catalog", {}, () => [true])],
  "app/(admin)/admin/catalog/actions.ts#updatePlanLimitsAction": [admin("/admin/catalog", {}, () => ["no-such-plan"])],
  "app/(admin)/admin/x402/actions.ts#recordX402PaymentAction": [admin("/admin/x402", { reason: "" }, () => ["no-such-payment"])],
  "app/(admin)/admin/x402/actions.ts#refundX402PaymentAction": [admin("/admin/x402", { reason: "" }, () => ["no-such-payment"])],
  "app/(admin)/admin/workspaces/[id]/actions.ts#adjustCreditsAction": [
    admin("/admin/workspaces/x", { credits: "", reason: "" }, (f) => [f.W]),
  ],
  "app/(admin)/admin/leads/actions.ts#markSalesLeadHandledAction": [
    { kind: "action", page: "/admin/leads", noForm: true, bound: () => ["no-such-lead"], expect: ADMIN_ACTION },
  ],
  "app/(admin)/admin/stripe/actions.ts#replayStripeEventAction": [
    { kind: "action", page: "/admin/stripe", noForm: true, bound: () => ["evt_no_such_event"], expect: ADMIN_ACTION },
  ],
  "app/(admin)/admin/prices/[action]/actions.ts#changePriceAction": [
    admin("/admin/prices/aria.chat", { credits: "" }, () => ["aria.chat"]),
  ],
  "app/(admin)/admin/keys/actions.ts#createPlatformKeyAction": [admin("/admin/keys", { name: "" })],
  "app/(admin)/admin/keys/actions.ts#revokePlatformKeyAction": [admin("/admin/keys", { id: "no-such-key" })],
  "app/(admin)/admin/keys/actions.ts#updatePlatformKeyCapAction": [admin("/admin/keys", { id: "no-such-key", hourlyCap: "x" })],
  "app/(admin)/admin/keys/actions.ts#updatePlatformKeyWebhookAction": [admin("/admin/keys", { id: "no-such-key", webhookUrl: "" })],
  "app/(admin)/admin/keys/actions.ts#updatePlatformKeyOriginsAction": [admin("/admin/keys", { id: "no-such-key", allowedOrigins: "" })],
};

/** A row's answers by caller. */
export function answers(expect: string): Record<Caller, string> {
  const cells = expect.trim().split(/\s+/);
  if (cells.length !== CALLERS.length)
    throw new Error(`a row of the matrix has ${cells.length} answers, not ${CALLERS.length}: "${expect}"`);
  return Object.fromEntries(CALLERS.map((c, i) => [c, cells[i]!])) as Record<Caller, string>;
}
