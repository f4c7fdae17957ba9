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

/** An id for a heading from its title: "Top workspaces" → "top-workspaces-heading". */
function headingId(title: string): string {
  return `${title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")}-heading`;
}

/**
 * A card with a header, named by the header's title: a region screen readers list by that name. `id` is
 * the heading's id (made from the title when not given: two cards on a page with one title need ids).
 * With `titleHidden` the heading is for screen readers only (a card that is one table under the page's title).
 * With `anchor`, the card is that fragment's target: a link to `#${anchor}` scrolls to it.
 */
export function TitledCard({
  title,
  description,
  action,
  id,
  anchor,
  titleHidden = false,
  className,
  children,
  ...props
}: Omit<ComponentProps<"section">, "title"> & {
  title: string;
  description?: ReactNode;
  action?: ReactNode;
  id?: string;
  anchor?: string;
  titleHidden?: boolean;
}) {
  const heading = id ?? headingId(title);
  return (
    <Card id={anchor} aria-labelledby={heading} className={cn(anchor && "scroll-mt-6", className)} {...props}>
      {titleHidden ? (
        <h2 id={heading} className="sr-only">
          {title}
        </h2>
      ) : (
        <CardHeader id={heading} title={title} description={description} action={action} />
      )}
      {children}
    </Card>
  );
}
