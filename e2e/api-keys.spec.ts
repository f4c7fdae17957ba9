import { expect, signUp, test, uniqueEmail } from "./support/fixtures";

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

test("an owner creates a key, sees the secret once, uses it, and revokes it", async ({ page }) => {
  await signUp(page, uniqueEmail("keys"));
  await page.getByRole("link", { name: "API keys" }).click();
  await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
  await expect(page.getByText("No keys yet.")).toBeVisible();

  // Bad input is explained on the form.
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByText("Name the key, e.g. “Production backend”.")).toBeVisible();

  await page.getByLabel("Key name").fill("Production backend");
  await page.getByLabel("Actions per hour").fill("120");
  await page.getByRole("button", { name: "Create key" }).click();
  const secretBox = page.getByLabel("New API key");
  await expect(secretBox).toHaveValue(/^cb_live_[A-Za-z0-9]{12}_/);
  const secret = await secretBox.inputValue();
  await page.getByRole("button", { name: "Copy key" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

  const item = page.getByRole("listitem", { name: "Key Production backend" });
  await expect(item).toContainText(secret.slice(0, 20));
  await expect(item).toContainText("120 actions / hour");
  await expect(item).not.toContainText(secret.slice(21));

  // The key works against the metering API, and the panel counts the usage.
  const tracked = await page.request.post("/api/v1/track", {
    headers: { Authorization: `Bearer ${secret}` },
    data: { action: "aria.chat" },
  });
  expect(tracked.status()).toBe(201);
  expect(tracked.headers()["ratelimit-limit"]).toBe("120");

  // Queued events are announced to a webhook, signed with a secret shown to owners.
  await item.getByLabel("Webhook URL for Production backend").fill("not a url");
  await item.getByRole("button", { name: "Save the webhook URL of Production backend" }).click();
  await expect(item.getByRole("alert")).toContainText("Enter a full URL");
  await item.getByLabel("Webhook URL for Production backend").fill("https://ai.example.com/creditbook-events");
  await item.getByRole("button", { name: "Save the webhook URL of Production backend" }).click();
  await expect(item.getByText("https://ai.example.com/creditbook-events", { exact: true })).toBeVisible();
  await expect(item).toContainText(/signing secret whsec_[A-Za-z0-9_-]{43}/);

  page.once("dialog", (dialog) => void dialog.accept());
  await item.getByRole("button", { name: "Revoke" }).click();
  await expect(item.getByText("Revoked", { exact: true })).toBeVisible();
  const refused = await page.request.post("/api/v1/track", {
    headers: { Authorization: `Bearer ${secret}` },
    data: { action: "aria.chat" },
  });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe("unauthenticated");

  await page.reload();
  await expect(page.getByLabel("New API key")).toHaveCount(0); // the secret is never shown again
});
