import { Fragment } from "react";
import { actionKeyParts } from "@/lib/format";
import { cn } from "@/lib/cn";

/**
 * An action key (`mcp.get_song_intelligence`) as code that a narrow column breaks at its dots and
 * underscores, never mid-word: a <wbr> after each. `break-words` is only the fallback for a single
 * part longer than the line (it does not shrink a table column the way `overflow-wrap:anywhere` does).
 */
export function ActionKey({ value, className }: { value: string; className?: string }) {
  return (
    <code className={cn("break-words font-mono", className)}>
      {actionKeyParts(value).map((part, i) => (
        <Fragment key={i}>
          {i > 0 ? <wbr /> : null}
          {part}
        </Fragment>
      ))}
    </code>
  );
}
