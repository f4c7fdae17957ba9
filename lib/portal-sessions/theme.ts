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
    style: theme.accent ? { "--portal-accent": readableAccent(theme.accent) } : {},
  };
}

const channel = (c: number) => {
  const v = c / 255;
  return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
};

/** WCAG contrast of white text on `hex` (#rrggbb). */
export function contrastWithWhite(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => channel(parseInt(hex.slice(i, i + 2), 16)));
  const luminance = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return 1.05 / (luminance + 0.05);
}

/**
 * The accent as buttons use it, under white text: the product's colour, darkened (same hue) just enough
 * for a contrast of 4.5:1 (WCAG AA), so any accent a product picks keeps its buttons readable.
 */
export function readableAccent(hex: string): string {
  const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  for (let k = 1; k > 0; k -= 0.02) {
    const candidate = `#${rgb
      .map((c) =>
        Math.round(c * k)
          .toString(16)
          .padStart(2, "0"),
      )
      .join("")}`;
    if (contrastWithWhite(candidate) >= 4.5) return candidate;
  }
  return "#000000";
}
