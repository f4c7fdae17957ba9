/** A thin bar showing a share of a whole (decorative: the figure is in the table next to it). */
export function ShareBar({ share, color = "#6366f1" }: { share: number; color?: string }) {
  const width = Math.max(0, Math.min(100, share * 100));
  return (
    <span aria-hidden="true" className="block h-1.5 w-full overflow-hidden rounded-full bg-slate-100">
      <span className="block h-full rounded-full" style={{ width: `${width}%`, backgroundColor: color }} />
    </span>
  );
}
