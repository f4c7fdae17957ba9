import { gzipSync } from "node:zlib";

/**
 * The JavaScript a page ships on load: every `<script src>` in the HTML the server sends (Next lists
 * each chunk the route needs up front; chunks behind a dynamic import — charts, dialogs — are fetched
 * later and are not counted), with raw and gzip bytes. Inline scripts (React's flight data,
 * `self.__next_f.push(…)`) are counted apart: they are data the page carries, not code it downloads.
 * Shared by `npm run bench:js`, `npm run lighthouse` and the budget spec (e2e/js-budget.spec.ts).
 */
export type Weight = { raw: number; gzip: number };
export type ShippedFile = Weight & { path: string };
export type ShippedJs = { files: ShippedFile[]; total: Weight; inline: Weight };

const weigh = (bytes: Uint8Array): Weight => ({ raw: bytes.byteLength, gzip: gzipSync(bytes, { level: 9 }).byteLength });

/**
 * The `src` of each external script in `html`, in document order, without repeats. Scripts marked
 * `nomodule` (Next's legacy polyfills, ~110 KB) are left out: every browser that runs ES modules — all
 * the project supports — skips them without downloading them.
 */
export function scriptSources(html: string): string[] {
  const sources = [...html.matchAll(/<script\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => !/\snomodule\b/i.test(tag))
    .flatMap((tag) => tag.match(/\ssrc="([^"]+)"/)?.[1]?.replaceAll("&amp;", "&") ?? []);
  return [...new Set(sources)];
}

function inlineScripts(html: string): string {
  return [...html.matchAll(/<script\b(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!).join("\n");
}

/** Weighs the scripts of a page whose HTML is `html`; `get` fetches one script's bytes (an absolute or root-relative URL). */
export async function shippedJs(html: string, get: (src: string) => Promise<Uint8Array>): Promise<ShippedJs> {
  const files = await Promise.all(
    scriptSources(html).map(async (src) => ({ path: new URL(src, "http://x").pathname, ...weigh(await get(src)) })),
  );
  const total = files.reduce((t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip }), { raw: 0, gzip: 0 });
  return { files, total, inline: weigh(new TextEncoder().encode(inlineScripts(html))) };
}

/** Fetches `pageUrl` (with `cookie`, for a signed-in page) and weighs its scripts. */
export async function fetchShippedJs(pageUrl: string, cookie?: string): Promise<ShippedJs> {
  const headers: Record<string, string> = cookie ? { cookie } : {};
  const res = await fetch(pageUrl, { headers });
  if (!res.ok) throw new Error(`${pageUrl} answered ${res.status}`);
  return shippedJs(await res.text(), async (src) => {
    const r = await fetch(new URL(src, pageUrl));
    if (!r.ok) throw new Error(`${src} answered ${r.status}`);
    return new Uint8Array(await r.arrayBuffer());
  });
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** One line per file, largest first, then the total, for a terminal. */
export function formatShippedJs(name: string, js: ShippedJs): string {
  const lines = [...js.files]
    .sort((a, b) => b.raw - a.raw)
    .map((f) => `    ${kb(f.raw).padStart(9)} ${kb(f.gzip).padStart(9)} gz  ${f.path}`);
  return [
    `  ${name}: ${js.files.length} scripts, ${kb(js.total.raw)} raw, ${kb(js.total.gzip)} gzip (${js.total.raw} / ${js.total.gzip} bytes); inline data ${kb(js.inline.raw)} raw, ${kb(js.inline.gzip)} gzip`,
    ...lines,
  ].join("\n");
}
