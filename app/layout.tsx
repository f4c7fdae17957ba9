import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "./globals.css";

// Every page is rendered per request: each response carries a fresh CSP nonce (proxy.ts). The pages and
// layouts below inherit this; route handlers, which no layout wraps, say it themselves.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Creditbook", template: "%s · Creditbook" },
  description: "Credits, metering and billing for AI products.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#4f46e5" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900">{children}</body>
    </html>
  );
}
