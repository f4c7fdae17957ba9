import { cn } from "@/lib/cn";
import type { ComponentProps, ReactNode } from "react";

export function Card({ className, ...props }: ComponentProps<"section">) {
  return <section className={cn("rounded-xl bg-white shadow-sm ring-1 ring-slate-200", className)} {...props} />;
}

export function CardHeader({
  title,
  description,
  action,
  id,
}: {
  title: string;
  description?: ReactNode;
  action?: ReactNode;
  id?: string;
}) {
  return (
    <div className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-100 px-5 py-4 sm:px-6">
      <div>
        <h2 id={id} className="text-base font-semibold text-slate-900">
          {title}
        </h2>
        {description ? <p className="mt-1 text-sm text-slate-500">{description}</p> : null}
      </div>
      {action}
    </div>
  );
}

export function CardBody({ className, ...props }: ComponentProps<"div">) {
  return <div className={cn("px-5 py-5 sm:px-6", className)} {...props} />;
}

/**
 * A card named by its heading (aria-labelledby `${name}-heading`); with `anchor`, a link to `#${name}`
 * scrolls to it.
 */
export function SectionCard({
  name,
  anchor = false,
  title,
  description,
  action,
  className,
  children,
}: {
  name: string;
  anchor?: boolean;
  title: string;
  description?: ReactNode;
  action?: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  return (
    <Card id={anchor ? name : undefined} aria-labelledby={`${name}-heading`} className={cn(anchor && "scroll-mt-6", className)}>
      <CardHeader id={`${name}-heading`} title={title} description={description} action={action} />
      {children}
    </Card>
  );
}
