"use client";

import dynamic from "next/dynamic";
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { CategoryRow, StackedRow } from "@/components/charts/recharts-bars";

/**
 * Charts are drawings of figures the page already shows as text (a table beside or under each one),
 * so they load last: the chart code is fetched only when the chart is about to scroll into view, and
 * until then a box of the chart's exact height holds its place (no layout shift when it arrives).
 */
function Placeholder({ height }: { height: number }) {
  return <div className="rounded-lg bg-slate-50" style={{ height }} />;
}

function WhenVisible({ height, children }: { height: number; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el || visible) return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setVisible(true), {
      rootMargin: "200px",
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [visible]);
  return (
    <div ref={ref} data-chart={visible ? "visible" : "waiting"} style={{ minHeight: height }}>
      {visible ? children : <Placeholder height={height} />}
    </div>
  );
}

const StackedBarsChart = dynamic(() => import("@/components/charts/recharts-bars").then((m) => m.StackedBars), {
  ssr: false,
  loading: () => null,
});
const CategoryBarsChart = dynamic(() => import("@/components/charts/recharts-bars").then((m) => m.CategoryBars), {
  ssr: false,
  loading: () => null,
});

export function LazyStackedBars({ rows, height }: { rows: StackedRow[]; height: number }) {
  return (
    <WhenVisible height={height}>
      <StackedBarsChart rows={rows} height={height} />
    </WhenVisible>
  );
}

export function LazyCategoryBars({ rows, height }: { rows: CategoryRow[]; height: number }) {
  return (
    <WhenVisible height={height}>
      <CategoryBarsChart rows={rows} height={height} />
    </WhenVisible>
  );
}
