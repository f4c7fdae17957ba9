import { RANGES, type Range } from "@/lib/admin/ranges";
import { SegmentedNav } from "@/components/ui/segmented-nav";

/** The overview's range, kept in the URL (?range=day|week|month) so a view can be shared. */
export function RangeTabs({ current }: { current: Range }) {
  return (
    <SegmentedNav
      label="Range"
      segments={(Object.keys(RANGES) as Range[]).map((range) => ({
        href: `/admin?range=${range}`,
        label: RANGES[range].label,
        title: RANGES[range].description,
        current: range === current,
      }))}
    />
  );
}
