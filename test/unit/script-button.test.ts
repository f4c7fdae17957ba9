import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Button } from "@/components/ui/button";

// What the server sends before the page hydrates: a button that only has a click handler cannot work
// yet, so it must not look (or be) clickable; a submit button posts its form and stays enabled.
const html = (props: Parameters<typeof Button>[0]) => renderToStaticMarkup(createElement(Button, props, "Buy"));

describe("Button before hydration", () => {
  it("renders a click-only button disabled, and a submit button or a plain one enabled", () => {
    expect(html({ onClick: () => {} })).toMatch(/^<button[^>]* disabled=""/);
    expect(html({ type: "button", onClick: () => {} })).toMatch(/ disabled=""/);
    expect(html({ type: "submit", onClick: () => {} })).not.toMatch(/ disabled=""/);
    expect(html({ type: "submit" })).not.toMatch(/ disabled=""/);
    expect(html({})).not.toMatch(/ disabled=""/);
  });

  it("keeps the variant's classes and the caller's own attributes", () => {
    const button = html({ onClick: () => {}, variant: "secondary", "aria-label": "Buy the pack", className: "mt-4" });
    expect(button).toContain('aria-label="Buy the pack"');
    expect(button).toContain("ring-slate-300");
    expect(button).toContain("mt-4");
  });
});
