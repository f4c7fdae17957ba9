// billing_portal.session: https://docs.stripe.com/api/customer_portal/sessions/object — create; the
// hosted page is GET /p/session/:id (pages.ts).
import { missingParam } from "../errors.ts";
import { route, type Route } from "../emulator.ts";
import { newId } from "../ids.ts";

export function buildPortalSession(
  now: number,
  f: { customer: string; returnUrl: string | null; configuration: string; publicUrl: string },
) {
  const id = newId("billing_portal.session");
  return {
    id,
    object: "billing_portal.session" as const,
    configuration: f.configuration,
    created: now,
    customer: f.customer,
    customer_account: null,
    flow: null,
    livemode: false,
    locale: null as string | null,
    on_behalf_of: null as string | null,
    return_url: f.returnUrl,
    url: `${f.publicUrl}/p/session/${id}`,
  };
}
export type PortalSession = ReturnType<typeof buildPortalSession>;

export const portalRoutes: Route[] = [
  route("POST", "/v1/billing_portal/sessions", ({ emu, account, params, request }) => {
    params.allowOnly(["customer", "return_url", "configuration", "locale", "on_behalf_of", "flow_data", "expand"]);
    const customerId = params.str("customer");
    if (customerId === undefined) throw missingParam("customer");
    const customer = emu.store.find(account, "customer", customerId, "customer");
    const session = buildPortalSession(account.clock.now(), {
      customer: customer.id,
      returnUrl: params.url("return_url") ?? null,
      configuration: params.str("configuration") ?? account.portalConfigurationId,
      publicUrl: emu.publicUrl,
    });
    session.locale = params.str("locale") ?? null;
    session.on_behalf_of = params.str("on_behalf_of") ?? null;
    emu.store.insert(account, session);
    emu.emit(account, "billing_portal.session.created", session, { request });
    return session;
  }),
];
