// Hosted pages: Checkout (/c/pay/:cs_id), the Billing portal (/p/session/:bps_id) and invoices
// (/i/:in_id, and its PDF at /i/:in_id/pdf). Plain server-rendered HTML; forms post back to the same URL. A page carries no API key:
// its object's id names the account.
import type http from "node:http";
import type { Emulator } from "../emulator.ts";
import { StripeHttpError } from "../errors.ts";
import { parseForm } from "../form.ts";
import { readBody, type Reply } from "../http.ts";
import { catchUp } from "../scheduler.ts";
import { checkout } from "./checkout.ts";
import { invoicePage } from "./invoice.ts";
import { invoicePdf } from "./invoice-pdf.ts";
import { html, messagePage } from "./layout.ts";
import { portal } from "./portal.ts";

const PAGES = [
  { pattern: /^\/c\/pay\/([^/]+)\/?$/, type: "checkout.session", what: "checkout session", post: true },
  { pattern: /^\/p\/session\/([^/]+)\/?$/, type: "billing_portal.session", what: "billing portal session", post: true },
  { pattern: /^\/i\/([^/]+)\/?$/, type: "invoice", what: "invoice", post: false },
  { pattern: /^\/i\/([^/]+)\/pdf\/?$/, type: "invoice", what: "invoice", post: false, pdf: true },
] as const;

function indexPage(): Reply {
  return messagePage(
    200,
    "Stripe emulator",
    'The Stripe API is under /v1 (use the stripe SDK with host, port and protocol "http"); hosted pages are under /c/pay, /p/session and /i.',
  );
}

/** Hosted pages; null when the path is not one of them. */
export async function handlePage(emu: Emulator, req: http.IncomingMessage, url: URL): Promise<Reply | null> {
  const method = req.method ?? "GET";
  if (url.pathname === "/" && method === "GET") return indexPage();
  const page = PAGES.find((p) => p.pattern.test(url.pathname));
  if (!page) return null;
  if (method !== "GET" && !(page.post && method === "POST"))
    return messagePage(405, "Method not allowed", `${method} is not supported here.`);

  const id = decodeURIComponent(page.pattern.exec(url.pathname)![1]!);
  const account = emu.store.ownerOf(id);
  const object = account && emu.store.get(account, page.type, id);
  if (!account || !object) return messagePage(404, "Page not found", `This ${page.what} does not exist.`);
  catchUp(emu, account);
  const values = method === "POST" ? parseForm(await readBody(req)) : {};
  try {
    if (object.object === "checkout.session") return checkout(emu, account, object, method, values);
    if (object.object === "billing_portal.session") return portal(emu, account, object, method, url, values);
    if ("pdf" in page)
      return {
        status: 200,
        headers: {
          "content-type": "application/pdf",
          "content-disposition": `inline; filename="Invoice-${object.number ?? object.id}.pdf"`,
          "cache-control": "no-store",
        },
        body: invoicePdf(object),
      };
    return html(200, invoicePage(object));
  } catch (e) {
    if (e instanceof StripeHttpError) return messagePage(e.status, "Something went wrong", e.message);
    throw e;
  }
}
