/** Action categories of the usage breakdown, in display order (docs/design.md "Model"). */
export const CATEGORIES = ["ARIA", "SONIC", "IMAGE", "VIDEO", "MCP", "OTHER"] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Record<Category, string> = {
  ARIA: "Aria chat",
  SONIC: "Sonic analysis",
  IMAGE: "Image generation",
  VIDEO: "Video generation",
  MCP: "MCP tool calls",
  OTHER: "Other",
};

/** Chart colours (Tailwind palette hex values), one per category. */
export const CATEGORY_COLORS: Record<Category, string> = {
  ARIA: "#6366f1",
  SONIC: "#0ea5e9",
  IMAGE: "#f59e0b",
  VIDEO: "#ef4444",
  MCP: "#10b981",
  OTHER: "#94a3b8",
};

/**
 * Price-list order: by category, then by name (case-insensitive, by code point: the same on the server
 * and in the browser, and without localeCompare, whose first call builds a collator on the main thread
 * while the page hydrates — docs/performance.md).
 */
export function byCategoryThenName(a: { category: Category; name: string }, b: { category: Category; name: string }): number {
  const [x, y] = [a.name.toLowerCase(), b.name.toLowerCase()];
  return CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category) || (x < y ? -1 : x > y ? 1 : 0);
}
