import { describe, expect, it } from "vitest";
import { nextAuthBadBody, nextAuthRefusal } from "@/lib/auth/nextauth-route";

describe("what reaches next-auth", () => {
  it("lets the sign-in flow through", () => {
    for (const [method, path] of [
      ["GET", "csrf"],
      ["GET", "providers"],
      ["GET", "session"],
      ["POST", "callback/credentials"],
      ["POST", "signin/credentials"],
      ["GET", "signin"],
      ["POST", "signout"],
      ["POST", "_log"],
    ] as const) {
      expect(nextAuthRefusal(method, path.split("/")), `${method} ${path}`).toBeNull();
    }
  });

  it("answers a wrong method with 405 and an Allow header, an unknown action with 404", () => {
    const wrongMethod = nextAuthRefusal("GET", ["callback", "credentials"]);
    expect(wrongMethod?.status).toBe(405);
    expect(wrongMethod?.options.headers?.Allow).toBe("POST");
    expect(nextAuthRefusal("POST", ["csrf"])?.code).toBe("method_not_allowed");
    for (const path of ["nonsense", "callback/github", "signin/a/b", "", "session/x"]) {
      expect(nextAuthRefusal("GET", path.split("/"))?.code, path).toBe("not_found");
    }
  });

  it("turns a malformed body into 400 invalid_request and leaves other errors alone", () => {
    let parseError: unknown;
    try {
      JSON.parse("{");
    } catch (err) {
      parseError = err;
    }
    expect(nextAuthBadBody(parseError)?.status).toBe(400);
    expect(nextAuthBadBody(new Error("database down"))).toBeNull();
  });
});
