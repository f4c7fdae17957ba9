import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { build } from "esbuild";
import { Creditbook, createPortalSession } from "../../packages/client/src/index";

/**
 * A small AI product for e2e/embed.spec.ts, on a port of its own: its backend creates a portal session
 * with the typed client (createPortalSession) and its settings page mounts the panel through
 * <CreditbookBilling> (embed-host-app.tsx, bundled with React by esbuild). Reached as
 * http://localhost:<port> it is the allowed origin; as http://127.0.0.1:<port> it is another site
 * (and another origin) that the key does not allow.
 *
 *   GET /?role=owner|member|viewer[&theme=dark][&accent=0f766e][&compact=1][&session=<url>]
 *   GET /cookie-probe            sets a SameSite=None; Secure cookie (localhost counts as secure)
 *   GET /frame?src=<url>         a page that frames src (the third-party cookie probe)
 */
export type Host = { allowed: string; other: string; client: Creditbook; close: () => Promise<void> };

let bundle: Promise<string> | null = null;
function hostScript(): Promise<string> {
  bundle ??= build({
    entryPoints: [path.join(process.cwd(), "e2e/support/embed-host-app.tsx")],
    bundle: true,
    write: false,
    format: "esm",
    target: "es2022",
    jsx: "automatic",
    minify: true,
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "silent",
  }).then((out) => out.outputFiles[0]!.text);
  return bundle;
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

function page(options: { sessionUrl: string; theme: string; accent: string; compact: string }): string {
  const dark = options.theme === "dark";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Patchline · Billing</title><link rel="icon" href="data:,">
<style>
  body { margin: 0; font: 15px/1.5 system-ui, sans-serif; background: ${dark ? "#0b1020" : "#f4f5f7"}; color: ${dark ? "#e5e7eb" : "#111827"}; }
  header { display: flex; align-items: center; gap: 12px; padding: 14px 24px; background: ${dark ? "#111827" : "#ffffff"}; border-bottom: 1px solid ${dark ? "#1f2937" : "#e5e7eb"}; }
  header b { font-size: 17px; letter-spacing: -0.01em; }
  header span { color: ${dark ? "#9ca3af" : "#6b7280"}; }
  main { max-width: 1100px; margin: 0 auto; padding: 24px 16px 48px; }
  h1 { font-size: 22px; margin: 0 0 16px; }
</style></head>
<body>
<header><b>♪ Patchline</b><span>Settings</span></header>
<main><h1>Billing and credits</h1>
<div id="billing" data-session-url="${escape(options.sessionUrl)}" data-theme="${escape(options.theme)}" data-accent="${escape(options.accent)}" data-compact="${escape(options.compact)}"></div>
</main>
<script type="module" src="/host.js"></script>
</body></html>`;
}

export async function startHost(options: { appUrl: string; apiKey: string; workspace?: { external_id: string } }): Promise<Host> {
  const client = new Creditbook({
    apiKey: options.apiKey,
    baseUrl: options.appUrl,
    ...(options.workspace ? { workspace: options.workspace } : {}),
  });
  let allowed = "";
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://host");
    const answer = async () => {
      if (url.pathname === "/host.js") {
        res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
        return res.end(await hostScript());
      }
      if (url.pathname === "/cookie-probe") {
        res.writeHead(200, { "content-type": "text/html", "set-cookie": "probe=1; Path=/; SameSite=None; Secure" });
        return res.end("<p>cookie probe</p>");
      }
      if (url.pathname === "/frame") {
        res.writeHead(200, { "content-type": "text/html" });
        return res.end(
          `<!doctype html><title>frame</title><link rel="icon" href="data:,"><iframe title="probe" src="${escape(url.searchParams.get("src") ?? "")}"></iframe>`,
        );
      }
      if (url.pathname !== "/") {
        res.writeHead(404);
        return res.end();
      }
      // The product's backend: a session for the signed-in user, unless the spec brings its own.
      const role = (url.searchParams.get("role") ?? "owner") as "owner" | "member" | "viewer";
      const sessionUrl =
        url.searchParams.get("session") ??
        (
          await createPortalSession(client, {
            user: { id: `user-${role}`, email: `${role}@patchline.test`, name: `Pat ${role}`, role },
            return_url: `${allowed}/settings`,
            product_name: "Patchline",
            mode: "embedded",
          })
        ).url;
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(
        page({
          sessionUrl,
          theme: url.searchParams.get("theme") ?? "light",
          accent: url.searchParams.get("accent") ?? "",
          compact: url.searchParams.get("compact") ?? "",
        }),
      );
    };
    answer().catch((err: unknown) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(err));
    });
  });
  // Every interface: the page is reached both as localhost (allowed) and as 127.0.0.1 (not).
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as AddressInfo;
  allowed = `http://localhost:${port}`;
  await hostScript();
  return {
    allowed,
    other: `http://127.0.0.1:${port}`,
    client,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
