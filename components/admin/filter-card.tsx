import type { ReactNode } from "react";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card, CardBody } from "@/components/ui/card";

/**
 * A console list's filters: a GET form to `action` (the page itself), so the filters live in the URL and a
 * view can be shared. "Clear" goes back to the bare page and shows only while a filter is set.
 */
export function FilterCard({
  label,
  action,
  filtered,
  submit = "Filter",
  search = false,
  className,
  children,
}: {
  /** The card's name for screen readers ("Filter ledger entries"). */
  label: string;
  action: string;
  filtered: boolean;
  submit?: string;
  /** The form is a search landmark. */
  search?: boolean;
  /** The form's layout (a grid of the fields and the buttons). */
  className: string;
  children: ReactNode;
}) {
  return (
    <Card aria-label={label}>
      <CardBody>
        <form role={search ? "search" : undefined} action={action} className={className}>
          {children}
          <div className="flex gap-2">
            <Button type="submit">{submit}</Button>
            {filtered ? (
              <ButtonLink href={action} variant="secondary">
                Clear
              </ButtonLink>
            ) : null}
          </div>
        </form>
      </CardBody>
    </Card>
  );
}
