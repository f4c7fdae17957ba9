import { cn } from "@/lib/cn";

/** A small colour square before a label (an action type's colour in charts); hidden from screen readers. */
export function Swatch({ color, className }: { color: string; className?: string }) {
  return (
    <span className={cn("mr-2 inline-block h-2.5 w-2.5 rounded-sm", className)} style={{ backgroundColor: color }} aria-hidden="true" />
  );
}
