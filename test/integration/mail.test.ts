import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";

// A real SMTP server on a free local port (the smtp-server package): SMTP_URL points at it before the
// app's modules read the environment, so sendMail goes through nodemailer over a real connection.
type Received = { from: string; to: string[]; raw: string };
const received: Received[] = [];
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  onRcptTo(address, _session, callback) {
    if (address.address.startsWith("bounce")) return callback(new Error("550 no such mailbox"));
    callback();
  },
  onData(stream, session, callback) {
    let raw = "";
    stream.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    stream.on("end", () => {
      received.push({
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
        to: session.envelope.rcptTo.map((r) => r.address),
        raw,
      });
      callback();
    });
  },
  logger: false,
});

let mail: typeof import("@/lib/mail");
let db: typeof import("@/lib/db").db;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
  process.env.MAIL_FROM = "Creditbook Tests <robot@creditbook.test>";
  mail = await import("@/lib/mail");
  ({ db } = await import("@/lib/db"));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("sendMail over SMTP", () => {
  it("records the message in the outbox, sends it over SMTP and marks it sent", async () => {
    const to = `smtp-${Date.now()}@example.test`;
    const result = await mail.sendMail({
      kind: "verify_email",
      to,
      subject: "Hello over SMTP",
      text: "Plain body https://x.test/a",
      html: "<p>HTML body</p>",
    });
    expect(result).toMatchObject({ delivered: true, error: null });
    expect(mail.mailDelivers()).toBe(true);

    const got = received.find((r) => r.to.includes(to));
    expect(got?.from).toBe("robot@creditbook.test");
    expect(got?.raw).toContain("Subject: Hello over SMTP");
    expect(got?.raw).toContain("Plain body https://x.test/a");
    expect(got?.raw).toContain("<p>HTML body</p>");

    const row = await db.mailMessage.findUniqueOrThrow({ where: { id: result.id! } });
    expect(row).toMatchObject({ kind: "verify_email", to, subject: "Hello over SMTP", error: null });
    expect(row.sentAt).toBeInstanceOf(Date);
  });

  it("sends a reply-to address when given (a sales lead's mail answers the visitor, not the robot)", async () => {
    const to = `operator-${Date.now()}@example.test`;
    const result = await mail.sendMail({
      kind: "sales_lead",
      to,
      replyTo: "visitor@example.test",
      subject: "Sales lead: Acme (Ada)",
      text: "Their message",
    });
    expect(result.delivered).toBe(true);
    const got = received.find((r) => r.to.includes(to));
    expect(got?.from).toBe("robot@creditbook.test");
    expect(got?.raw).toMatch(/^Reply-To: visitor@example\.test\r?$/m);
  });

  it("keeps a message the server refuses in the outbox with the error, without throwing", async () => {
    const to = `bounce-${Date.now()}@example.test`;
    const result = await mail.sendMail({ kind: "reset_password", to, subject: "Refused", text: "…" });
    expect(result.delivered).toBe(false);
    expect(result.error).toMatch(/550|no such mailbox/i);
    const row = await db.mailMessage.findUniqueOrThrow({ where: { id: result.id! } });
    expect(row.sentAt).toBeNull();
    expect(row.error).toMatch(/550|no such mailbox/i);
    expect(received.some((r) => r.to.includes(to))).toBe(false);
  });

  it("lists the outbox newest first, optionally for one address", async () => {
    const to = `order-${Date.now()}@example.test`;
    const first = await mail.sendMail({ kind: "verify_email", to, subject: "first", text: "1" });
    const second = await mail.sendMail({ kind: "verify_email", to, subject: "second", text: "2" });
    const list = await mail.recentMail({ to });
    expect(list.map((m) => m.id)).toEqual([second.id, first.id]);
    expect((await mail.recentMail({ to, limit: 1 })).map((m) => m.id)).toEqual([second.id]);
  });

  it("sends a mail with a dedupe key once, however many senders race with it, with its extra headers", async () => {
    const to = `once-${Date.now()}@example.test`;
    const dedupeKey = `test-occurrence:${to}`;
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        mail.sendMail({
          kind: "payment_failed",
          to,
          subject: "Once",
          text: "only once",
          dedupeKey,
          headers: { "List-Unsubscribe": "<https://x.test/u>" },
        }),
      ),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(results.filter((r) => r.duplicate).every((r) => r.id === null && !r.delivered && r.error === null)).toBe(true);
    expect(await db.mailMessage.count({ where: { dedupeKey } })).toBe(1);
    const got = received.filter((r) => r.to.includes(to));
    expect(got).toHaveLength(1);
    expect(got[0]!.raw).toContain("List-Unsubscribe: <https://x.test/u>");
  });
});
