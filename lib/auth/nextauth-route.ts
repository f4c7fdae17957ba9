import { AppError } from "@/lib/errors";

/**
 * What /api/auth/[...nextauth] lets through to next-auth: the actions our sign-in uses, with the
 * methods next-auth serves them on (credentials is the only provider, so no OAuth callbacks). Anything
 * else gets the documented error shape here instead of next-auth's plain-text 400 — or its 500, which
 * it answers for GET callback/credentials (found by `npm run verify`, scenario 4).
 */
const ACTIONS: Record<string, ReadonlySet<string>> = {
  providers: new Set(["GET"]),
  csrf: new Set(["GET"]),
  session: new Set(["GET", "POST"]),
  signin: new Set(["GET", "POST"]),
  signout: new Set(["GET", "POST"]),
  error: new Set(["GET"]),
  "verify-request": new Set(["GET"]),
  "callback/credentials": new Set(["POST"]),
  _log: new Set(["POST"]),
};

/** The refusal for a request to /api/auth/<segments>, or null when next-auth should answer it. */
export function nextAuthRefusal(method: string, segments: readonly string[]): AppError | null {
  const [first = "", ...rest] = segments;
  // signin/<provider> is the signin action; everything else is matched whole.
  const action = first === "signin" && rest.length <= 1 ? "signin" : segments.join("/");
  const methods = ACTIONS[action];
  if (!methods) return new AppError("not_found", "No such sign-in endpoint.");
  if (!methods.has(method)) {
    return new AppError("method_not_allowed", `This sign-in endpoint does not answer ${method}.`, {
      headers: { Allow: [...methods].join(", ") },
    });
  }
  return null;
}

/** next-auth reads a JSON body with req.json() and throws on a malformed one: that is bad input, a 400. */
export function nextAuthBadBody(err: unknown): AppError | null {
  return err instanceof SyntaxError ? new AppError("invalid_request", "The request body could not be parsed.") : null;
}

/**
 * A `callbackUrl` (query or form body) that is neither a path nor a parseable absolute URL is bad
 * input: a 400 here, where next-auth's own redirect check would throw on it (a 500). Parseable URLs
 * on other origins go on to the redirect callback, which sends them to the app's base
 * (lib/auth/redirects.ts).
 */
export async function nextAuthBadCallback(req: Request): Promise<AppError | null> {
  const values = new URL(req.url).searchParams.getAll("callbackUrl");
  if (req.method === "POST" && /^application\/x-www-form-urlencoded\b/i.test(req.headers.get("content-type") ?? "")) {
    try {
      values.push(...new URLSearchParams(await req.clone().text()).getAll("callbackUrl"));
    } catch {
      return new AppError("invalid_request", "The request body could not be read.");
    }
  }
  for (const value of values) {
    if (!callbackParses(value)) {
      return new AppError("invalid_request", "callbackUrl must be a path on this site (like /settings/billing) or a URL of it.", {
        details: { field: "callbackUrl" },
      });
    }
  }
  return null;
}

function callbackParses(value: string): boolean {
  if (value.startsWith("/")) return true;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
