import { expect, PASSWORD, signUp, test, uniqueEmail } from "./support/fixtures";

// Holes found by probing the product over HTTP as an attacker would (issue 19), each kept shut here.

test.describe("redirects stay on the app's origin", () => {
  test("a signed-in visitor to /login is sent to a path of this app, whatever callbackUrl says", async ({ page }) => {
    await signUp(page, uniqueEmail("redirect"), "Redirect", { verify: false });
    for (const callbackUrl of [
      "/%5Cevil.example/",
      "/\\evil.example/",
      "//evil.example/",
      "/\t/evil.example",
      "/%2F%2Fevil.example",
      "http://evil.example/",
      "https:evil.example",
    ]) {
      const res = await page.request.get(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`, { maxRedirects: 0 });
      expect(res.status(), callbackUrl).toBe(307);
      const location = res.headers().location ?? "";
      expect(new URL(location, "http://app.invalid").origin, `${callbackUrl} → ${location}`).toBe("http://app.invalid");
      expect(location, callbackUrl).toBe("/settings/billing");
    }
    const fine = await page.request.get(`/login?callbackUrl=${encodeURIComponent("/settings/usage?action=aria.chat")}`, {
      maxRedirects: 0,
    });
    expect(fine.headers().location).toBe("/settings/usage?action=aria.chat");
  });

  test("the sign-in callback answers 400 for a callbackUrl it cannot parse, and sends other origins home", async ({ request, baseURL }) => {
    const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
    const post = (callbackUrl: string) =>
      request.post("/api/auth/callback/credentials", {
        form: { csrfToken, email: "nobody@e2e.test", password: "wrong password", callbackUrl, json: "true" },
        maxRedirects: 0,
      });
    const broken = await post(`${baseURL}.evil.example/`);
    expect(broken.status()).toBe(400);
    expect((await broken.json()).error.code).toBe("invalid_request");
    const foreign = await post("http://evil.example/");
    expect(foreign.status()).toBeLessThan(500);
    expect(JSON.stringify(await foreign.json().catch(() => ({})))).not.toContain("evil.example");
  });
});

test.describe("sign-out", () => {
  // The portal's own fetches may see the 401 of the refused cookie.
  test.use({ allowedConsoleErrors: [/status of 401/] });

  test("a session cookie saved before signing out is refused afterwards", async ({ page, browser, baseURL }) => {
    const email = uniqueEmail("signout");
    await signUp(page, email, "Signed Out", { verify: false });
    const saved = await page.context().cookies();
    expect(saved.some((c) => c.name.includes("session-token"))).toBe(true);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/login");

    const thief = await browser.newContext({ baseURL });
    await thief.addCookies(saved);
    const balance = await thief.request.get("/api/workspace/balance");
    expect(balance.status()).toBe(401);
    const billing = await thief.request.get("/settings/billing", { maxRedirects: 0 });
    expect(billing.status()).toBe(307);
    expect(billing.headers().location).toContain("/login");
    await thief.close();

    // Signing in again works as ever.
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL("**/settings/billing");
  });

  test("sign out everywhere ends the sessions of other devices too", async ({ page, browser, baseURL }) => {
    const email = uniqueEmail("everywhere");
    await signUp(page, email, "Everywhere", { verify: false });
    const other = await browser.newContext({ baseURL });
    await other.addCookies(await page.context().cookies());
    expect((await other.request.get("/api/workspace/balance")).status()).toBe(200);

    await page.goto("/settings/account");
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await page.waitForURL("**/login?signedout=everywhere");
    await expect(page.getByRole("status")).toHaveText("You were signed out on every device.");
    expect((await other.request.get("/api/workspace/balance")).status()).toBe(401);
    await other.close();
  });
});

test.describe("server actions", () => {
  test("a form body over 1 MB is a 413 in the error shape, not a 500", async ({ page }) => {
    await page.goto("/forgot-password");
    const res = await page.request.post("/forgot-password", {
      headers: { "next-action": "0".repeat(40), "content-type": "text/plain;charset=UTF-8", origin: new URL(page.url()).origin },
      data: "x".repeat(1024 * 1024 + 10),
    });
    expect(res.status()).toBe(413);
    expect((await res.json()).error.code).toBe("payload_too_large");
  });

  test("a NUL character in a form field is named in the form's message, not 'Something went wrong'", async ({ page }) => {
    await page.goto("/signup");
    await page.getByLabel("Name (optional)").fill("Ada\u0000Lovelace");
    await page.getByLabel("Email").fill(uniqueEmail("nul"));
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText(/NUL character/)).toBeVisible();
    await expect(page.getByText("Something went wrong")).toHaveCount(0);
    await expect(page).toHaveURL(/\/signup$/);
  });
});

test.describe("the demo's one host name", () => {
  test("a page opened under another loopback name is sent to the configured URL before sign-in; the API is not", async ({
    request,
    baseURL,
  }) => {
    const configured = new URL(baseURL!);
    const other = `localhost:${configured.port}`;
    const page = await request.get("/settings/billing?checkout=success", { headers: { host: other }, maxRedirects: 0 });
    expect(page.status()).toBe(307);
    expect(page.headers().location).toBe(`${configured.origin}/settings/billing?checkout=success`);
    const api = await request.get("/api/health", { headers: { host: other }, maxRedirects: 0 });
    expect(api.status()).toBe(200);
    const same = await request.get("/login", { maxRedirects: 0 });
    expect(same.status()).toBe(200);
  });
});
