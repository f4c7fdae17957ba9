/**
 * How the AI product themes its billing page, from the link's query (set by <CreditbookBilling theme>
 * or by hand): `theme=light|dark`, `accent=<6 hex digits>` (with or without "#"), `compact=1`. Anything
 * else is ignored: the defaults are Creditbook's own look.
 */
export type PortalTheme = { mode: "light" | "dark"; accent: string | null; compact: boolean };

type Query = Record<string, string | string[] | undefined>;

const one = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

export function parseTheme(query: Query): PortalTheme {
  const accent = one(query.accent)?.replace(/^#/, "");
  const compact = one(query.compact);
  return {
    mode: one(query.theme) === "dark" ? "dark" : "light",
    accent: accent && /^[0-9a-fA-F]{6}$/.test(accent) ? `#${accent.toLowerCase()}` : null,
    compact: compact === "1" || compact === "true",
  };
}

/** The wrapper's class names and CSS variables (app/globals.css, "Billing inside an AI product"). */
export function themeAttributes(theme: PortalTheme): { className: string; style: Record<string, string> } {
  return {
    className: [theme.mode === "dark" ? "portal-dark" : "", theme.accent ? "portal-accent" : ""].filter(Boolean).join(" "),
    style: theme.accent ? { "--portal-accent": theme.accent } : {},
  };
}
