// The hosted pages' shared layout: one stylesheet (inline, no external assets), the page shell with the
// test-mode bar, escaping, dates and the small pieces several pages use.
import type { Reply } from "../http.ts";

export const MERCHANT = "Creditbook";
const TEST_MODE_NOTE = "Test mode — simulated by Creditbook's Stripe emulator";

export function esc(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function html(status: number, body: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", ...headers }, body };
}

/** 303 to a page (after a form post). */
export function seeOther(location: string): Reply {
  return { status: 303, headers: { location }, body: "" };
}

/** "Dec 1, 2026" (UTC, as the emulator's clock). */
export const DATE = new Intl.DateTimeFormat("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
/** "Dec 1" */
export const DAY_MONTH = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

export const formatDate = (unix: number) => DATE.format(unix * 1000);

const CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1a1f36;background:#fff}
a{color:#635bff;text-decoration:none}a:hover{text-decoration:underline}
.testbar{background:#fff4e5;color:#8a4b00;border-bottom:1px solid #f5d9a8;font-size:13px;text-align:center;padding:6px 12px}
.testbar strong{font-weight:600}
.badge{display:inline-block;font-size:11px;font-weight:600;letter-spacing:.04em;text-transform:uppercase;border-radius:4px;padding:1px 6px;background:#ffde92;color:#8a4b00}
.pay-title{margin-bottom:20px}
.layout{display:grid;grid-template-columns:1fr 1fr;min-height:calc(100vh - 33px)}
.summary{background:#f6f9fc;border-right:1px solid #e3e8ee;padding:56px 48px 48px;display:flex;justify-content:flex-end}
.summary-inner,.pay-inner{width:100%;max-width:400px}
.pay{padding:56px 48px 48px}
.merchant{display:flex;align-items:center;gap:10px;margin-bottom:28px;font-weight:600}
.merchant .back{color:#697386;font-weight:500;margin-right:4px}
.logo{width:28px;height:28px;border-radius:50%;background:#635bff;color:#fff;display:inline-flex;align-items:center;justify-content:center;font-size:14px;font-weight:700}
.muted{color:#697386}
.total-label{color:#697386;font-weight:500;margin:0}
.total-amount{font-size:36px;font-weight:600;letter-spacing:-.02em;margin:2px 0 28px}
.items{list-style:none;margin:0;padding:0}
.item{display:flex;justify-content:space-between;gap:16px;padding:12px 0}
.item-name{font-weight:500}
.item-meta{color:#697386;font-size:13px}
.rows{border-top:1px solid #e3e8ee;margin-top:8px;padding-top:12px}
.row{display:flex;justify-content:space-between;padding:4px 0}
.row.total{font-weight:600;border-top:1px solid #e3e8ee;margin-top:8px;padding-top:12px}
h1{font-size:22px;font-weight:600;margin:0 0 4px}
h2{font-size:16px;font-weight:600;margin:24px 0 10px}
label{display:block;font-size:13px;font-weight:500;color:#3c4257;margin:0 0 6px}
.field{margin-bottom:14px}
input{width:100%;font:inherit;color:#1a1f36;padding:10px 12px;border:1px solid #d5dbe1;border-radius:6px;background:#fff;box-shadow:0 1px 1px rgba(0,0,0,.03)}
input:focus{outline:none;border-color:#635bff;box-shadow:0 0 0 3px rgba(99,91,255,.2)}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:12px}
button{font:inherit;cursor:pointer;border-radius:6px;width:100%;padding:12px 16px;font-weight:600}
.primary{background:#635bff;color:#fff;border:0;margin-top:10px;font-size:16px;box-shadow:0 1px 2px rgba(0,0,0,.12)}
.primary:hover{background:#5249e0}
.secondary{background:#fff;color:#3c4257;border:1px solid #d5dbe1;margin-top:10px}
.secondary:hover{background:#f6f9fc}
.danger{color:#c0123c}
.alert{border-radius:6px;padding:10px 12px;margin:0 0 16px;background:#fff0f1;border:1px solid #f7c6cd;color:#a11438;font-weight:500}
.hint{font-size:13px;color:#697386;margin-top:18px;line-height:1.6}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f1f4f8;border-radius:4px;padding:1px 5px}
.center{max-width:480px;margin:72px auto;padding:0 24px;text-align:center}
.card{border:1px solid #e3e8ee;border-radius:10px;padding:24px;background:#fff;box-shadow:0 2px 6px rgba(0,0,0,.04)}
.portal{max-width:760px;margin:0 auto;padding:32px 24px 56px}
.portal-head{display:flex;justify-content:space-between;align-items:center;gap:16px;margin-bottom:28px}
.portal-head .merchant{margin:0}
.section{margin-top:28px}
.customer{display:flex;gap:14px;align-items:center}
.avatar{width:44px;height:44px;border-radius:50%;background:#e8e6ff;color:#4b44c6;display:flex;align-items:center;justify-content:center;font-weight:600;flex:none}
.history{list-style:none;margin:0;padding:0;border:1px solid #e3e8ee;border-radius:10px;overflow:hidden}
.payment{display:flex;justify-content:space-between;align-items:center;gap:16px;padding:14px 18px;border-top:1px solid #e3e8ee}
.payment:first-child{border-top:0}
.payment .amount{font-weight:600;text-align:right;white-space:nowrap}
.status{display:inline-block;font-size:12px;font-weight:600;border-radius:10px;padding:1px 8px;margin-left:8px;vertical-align:1px}
.status.paid{background:#d7f7c2;color:#05690d}.status.refunded{background:#e3e8ee;color:#3c4257}
.status.partial{background:#fcedb9;color:#8a4b00}.status.pending{background:#e0e7ff;color:#3730a3}
.status.active{background:#d7f7c2;color:#05690d}.status.trialing{background:#e0e7ff;color:#3730a3}
.status.past_due,.status.failed{background:#ffe7f2;color:#b3063d}.status.open{background:#fcedb9;color:#8a4b00}
.status.canceled,.status.void,.status.draft{background:#e3e8ee;color:#3c4257}
.terms{margin:4px 0 0;color:#3c4257;font-size:14px}
.notice{border-radius:6px;padding:10px 12px;margin:16px 0 0;background:#effaf3;border:1px solid #b5e6c5;color:#05690d;font-weight:500}
.plan{display:flex;justify-content:space-between;align-items:flex-start;gap:16px;flex-wrap:wrap}
.plan-name{font-size:18px;font-weight:600}
.plan-price{font-weight:600;white-space:nowrap}
.actions{display:flex;gap:10px;flex-wrap:wrap;margin-top:16px}
.actions form{margin:0}
.actions button,.inline{width:auto;margin:0;padding:8px 14px;font-size:14px}
.card .alert{margin:14px 0 0}
.pm{display:flex;justify-content:space-between;align-items:center;gap:16px;flex-wrap:wrap}
.brand{display:inline-block;font-size:11px;font-weight:700;letter-spacing:.04em;text-transform:uppercase;border:1px solid #d5dbe1;border-radius:4px;padding:1px 6px;margin-right:8px;color:#3c4257}
.card-form{margin-top:16px;max-width:420px}
.lines{width:100%;border-collapse:collapse;margin-top:16px}
.lines th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#697386;font-weight:600;text-align:left;padding:8px 0;border-bottom:1px solid #e3e8ee}
.lines td{padding:10px 0;border-bottom:1px solid #e3e8ee;vertical-align:top}
.lines .num{text-align:right;white-space:nowrap;padding-left:16px}
.lines tfoot td{font-weight:600;border-bottom:0}
.facts{display:grid;grid-template-columns:auto 1fr;gap:4px 16px;margin:16px 0 0}
.facts dt{color:#697386}.facts dd{margin:0}
.empty{padding:18px;color:#697386;text-align:center}
.footer{margin-top:36px;color:#697386;font-size:13px}
@media (max-width:820px){
  .layout{grid-template-columns:1fr;min-height:0}
  .summary{border-right:0;border-bottom:1px solid #e3e8ee;padding:24px 20px;justify-content:center}
  .pay{padding:24px 20px 40px}
  .summary-inner,.pay-inner{max-width:480px;margin:0 auto}
  .merchant{margin-bottom:18px}
  .total-amount{font-size:30px;margin-bottom:16px}
  .portal{padding:24px 16px 40px}
  .portal-head{flex-direction:column;align-items:flex-start;gap:8px}
  .payment{padding:12px 14px}
  .plan-price{white-space:normal}
}
`;

export function shell(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<style>${CSS}</style>
</head>
<body>
<div class="testbar" role="note">${esc(TEST_MODE_NOTE)}</div>
${body}
</body>
</html>`;
}

export function messagePage(status: number, title: string, message: string, link?: { href: string; text: string }): Reply {
  const action = link ? `<p><a href="${esc(link.href)}">${esc(link.text)}</a></p>` : "";
  return html(
    status,
    shell(title, `<main class="center"><div class="card"><h1>${esc(title)}</h1><p class="muted">${esc(message)}</p>${action}</div></main>`),
  );
}

/** The merchant's name with its logo and the test-mode badge. */
export function merchantMark(back = ""): string {
  return `<div class="merchant">${back}<span class="logo" aria-hidden="true">C</span><span>${esc(MERCHANT)}</span><span class="badge">Test mode</span></div>`;
}

/** A coloured status pill; `css` picks the colour (paid, active, past_due, open, …). */
export function statusBadge(css: string, text: string): string {
  return `<span class="status ${esc(css)}">${esc(text)}</span>`;
}

export function alertBox(message: string | undefined): string {
  return message ? `<div class="alert" role="alert">${esc(message)}</div>` : "";
}
