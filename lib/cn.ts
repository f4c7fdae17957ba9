import { clsx, type ClassValue } from "clsx";

/**
 * Joins class names, a later utility replacing an earlier one of the same kind under the same
 * variants: `cn("px-3 py-2 bg-indigo-600", "px-5 bg-red-600")` → "py-2 px-5 bg-red-600". So a
 * component's base classes can be overridden by its caller's `className`.
 *
 * This is tailwind-merge's job for the utilities this project uses, in ~1 KB instead of 27 KB: the
 * merge runs in the browser for every Button and Badge while the page hydrates (docs/performance.md).
 * test/unit/cn.test.ts checks it against tailwind-merge on every class the components are given.
 * A utility it does not know is kept as it is.
 */
const COLOR =
  "(?:inherit|current|transparent|black|white|(?:slate|gray|zinc|neutral|stone|red|orange|amber|yellow|lime|green|emerald|teal|cyan|sky|blue|indigo|violet|purple|fuchsia|pink|rose)-\\d{2,3})(?:/\\d+)?";
const SIZE = "(?:px|\\d+(?:\\.\\d+)?|\\[[^\\]]+\\]|auto|full|screen|min|max|fit|\\d+/\\d+|xs|sm|md|lg|xl|\\dxl|prose|none)";

/** [kind, pattern, kinds a later class of this kind also replaces] */
const KINDS: [string, RegExp, string[]?][] = [
  ["display", /^(?:block|inline-block|inline|flex|inline-flex|grid|inline-grid|table|contents|hidden)$/],
  ["p", new RegExp(`^p-${SIZE}$`), ["px", "py", "pt", "pr", "pb", "pl"]],
  ["px", new RegExp(`^px-${SIZE}$`), ["pr", "pl"]],
  ["py", new RegExp(`^py-${SIZE}$`), ["pt", "pb"]],
  ...(["pt", "pr", "pb", "pl"] as const).map((k): [string, RegExp] => [k, new RegExp(`^${k}-${SIZE}$`)]),
  ["m", new RegExp(`^-?m-${SIZE}$`), ["mx", "my", "mt", "mr", "mb", "ml"]],
  ["mx", new RegExp(`^-?mx-${SIZE}$`), ["mr", "ml"]],
  ["my", new RegExp(`^-?my-${SIZE}$`), ["mt", "mb"]],
  ...(["mt", "mr", "mb", "ml"] as const).map((k): [string, RegExp] => [k, new RegExp(`^-?${k}-${SIZE}$`)]),
  ["w", new RegExp(`^w-${SIZE}$`)],
  ["h", new RegExp(`^h-${SIZE}$`)],
  ["gap", new RegExp(`^gap-${SIZE}$`), ["gap-x", "gap-y"]],
  ["text-size", /^text-(?:xs|sm|base|lg|xl|\dxl)$/],
  ["text-color", new RegExp(`^text-${COLOR}$`)],
  ["text-align", /^text-(?:left|center|right|justify|start|end)$/],
  ["bg", new RegExp(`^bg-${COLOR}$`)],
  ["font-weight", /^font-(?:thin|extralight|light|normal|medium|semibold|bold|extrabold|black)$/],
  ["rounded", /^rounded(?:-(?:none|xs|sm|md|lg|xl|\dxl|full))?$/],
  ["shadow", /^shadow(?:-(?:2xs|xs|sm|md|lg|xl|2xl|none|inner))?$/],
  ["ring-width", /^ring(?:-\d+)?$/],
  ["ring-color", new RegExp(`^ring-${COLOR}$`)],
  ["outline-color", new RegExp(`^outline-${COLOR}$`)],
  ["whitespace", /^whitespace-/],
  ["justify", /^justify-(?:start|end|center|between|around|evenly|stretch|normal)$/],
  ["items", /^items-/],
];

function kindOf(utility: string): { kind: string; replaces?: string[] } | null {
  for (const [kind, pattern, replaces] of KINDS) if (pattern.test(utility)) return { kind, replaces };
  return null;
}

export function cn(...classes: ClassValue[]): string {
  const tokens = clsx(classes).split(" ").filter(Boolean);
  const kept: (string | null)[] = [];
  // variant prefix ("sm:hover:") + kind → index in `kept` of the class that holds it now
  const holder = new Map<string, number>();
  for (const token of tokens) {
    const cut = token.lastIndexOf(":");
    const variants = token.slice(0, cut + 1);
    const found = kindOf(token.slice(cut + 1).replace(/^!/, ""));
    if (found) {
      for (const kind of [found.kind, ...(found.replaces ?? [])]) {
        const at = holder.get(variants + kind);
        if (at !== undefined) {
          kept[at] = null;
          holder.delete(variants + kind);
        }
      }
      holder.set(variants + found.kind, kept.length);
    }
    kept.push(token);
  }
  return kept.filter((t): t is string => t !== null).join(" ");
}
