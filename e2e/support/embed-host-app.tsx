// The AI product's page in e2e/embed.spec.ts (bundled by embed-host.ts): its settings page with
// Creditbook's billing panel mounted through <CreditbookBilling>, and what the panel told it, listed for
// the spec to read (visually hidden: the screenshots show the product as its users would).
import { useState } from "react";
import { createRoot } from "react-dom/client";
import { CreditbookBilling, type CreditbookTheme } from "../../packages/client/src/react";

const hidden = { position: "absolute", width: 1, height: 1, overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap" } as const;

function Host({ sessionUrl, theme }: { sessionUrl: string; theme: CreditbookTheme }) {
  const [events, setEvents] = useState<string[]>([]);
  const [height, setHeight] = useState<number | null>(null);
  const log = (line: string) => setEvents((all) => [...all, line]);
  return (
    <>
      <CreditbookBilling
        sessionUrl={sessionUrl}
        theme={theme}
        onReady={() => log("ready")}
        onCreditsChanged={(e) => log(`credits.changed ${e.previous} → ${e.remaining}`)}
        onCheckoutOpened={(e) => log(`checkout.opened ${e.what}`)}
        onSessionExpired={(e) => log(`session.expired ${e.reason}`)}
        onMessage={(m) => {
          if (m.type === "ready" || m.type === "resize") setHeight(m.height);
        }}
      />
      <section aria-label="Panel events" style={hidden}>
        <output aria-label="Panel height">{height ?? ""}</output>
        <ol>
          {events.map((e, i) => (
            <li key={i}>{e}</li>
          ))}
        </ol>
      </section>
    </>
  );
}

const root = document.getElementById("billing")!;
const theme: CreditbookTheme = {
  mode: root.dataset.theme === "dark" ? "dark" : "light",
  accent: root.dataset.accent || undefined,
  compact: root.dataset.compact === "1",
};
createRoot(root).render(<Host sessionUrl={root.dataset.sessionUrl!} theme={theme} />);
