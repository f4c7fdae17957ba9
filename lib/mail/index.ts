import "server-only";
import { createTransport, type Transporter } from "nodemailer";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { now } from "@/lib/clock";

/**
 * Outgoing mail. Every message is first written to the outbox (MailMessage); with SMTP_URL set, it is
 * then sent through nodemailer and marked sent (or its error recorded). Without SMTP — the demo and the
 * tests — the message stays in the outbox, which /dev/mail shows so its links can be clicked.
 *
 * Sending never throws: a mail that could not be sent must not undo the sign-up or reset that asked for
 * it. The caller learns the outcome from the result (and the outbox row keeps it).
 *
 * Once only: a mail with a `dedupeKey` is written with INSERT … ON CONFLICT DO NOTHING on the outbox's
 * unique key, so of any number of senders racing with the same key exactly one writes the row, and only
 * that one sends it; the others get `duplicate: true` and send nothing (billing mail,
 * lib/billing/notifications.ts).
 */
export type MailKind = "verify_email" | "reset_password" | "invitation" | "sales_lead" | (string & {});
export type OutgoingMail = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  kind: MailKind;
  /** The occurrence this mail is about, for this recipient: written (and sent) once, ever. */
  dedupeKey?: string;
  /** Extra SMTP headers (List-Unsubscribe); not kept in the outbox. */
  headers?: Record<string, string>;
  /** Where a reply goes instead of MAIL_FROM (a sales lead's own address); SMTP only, not kept in the outbox. */
  replyTo?: string;
};
export type SentMail = { id: string | null; delivered: boolean; error: string | null; duplicate?: boolean };

const holder = globalThis as unknown as { __creditbookMailer?: { url: string; transport: Transporter } };

function transport(): Transporter | null {
  const url = env.SMTP_URL;
  if (!url) return null;
  if (holder.__creditbookMailer?.url !== url) holder.__creditbookMailer = { url, transport: createTransport(url) };
  return holder.__creditbookMailer.transport;
}

/** True when mail leaves the machine (SMTP_URL set); false when it only reaches the outbox. */
export function mailDelivers(): boolean {
  return Boolean(env.SMTP_URL);
}

/** The demo outbox page (/dev/mail) exists only in demo and test mode. */
export function outboxVisible(): boolean {
  return env.DEMO_MODE || env.TEST_MODE;
}

export async function sendMail(mail: OutgoingMail): Promise<SentMail> {
  let row: { id: string };
  try {
    const data = {
      kind: mail.kind,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html ?? null,
      createdAt: now(),
      dedupeKey: mail.dedupeKey ?? null,
    };
    if (mail.dedupeKey) {
      const [inserted] = await db.mailMessage.createManyAndReturn({ data: [data], skipDuplicates: true, select: { id: true } });
      if (!inserted) return { id: null, delivered: false, error: null, duplicate: true };
      row = inserted;
    } else {
      row = await db.mailMessage.create({ data, select: { id: true } });
    }
  } catch (err) {
    // The outbox itself is unreachable: nothing was written, nothing is sent; the caller carries on.
    const error = err instanceof Error ? err.message : String(err);
    console.error(`[mail] recording a ${mail.kind} message failed: ${error}`);
    return { id: null, delivered: false, error };
  }
  const smtp = transport();
  if (!smtp) return { id: row.id, delivered: false, error: null };
  try {
    await smtp.sendMail({
      from: env.MAIL_FROM,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      ...(mail.html ? { html: mail.html } : {}),
      ...(mail.headers ? { headers: mail.headers } : {}),
      ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
    });
    await db.mailMessage.update({ where: { id: row.id }, data: { sentAt: now() } }).catch(() => undefined);
    return { id: row.id, delivered: true, error: null };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    console.error(`[mail] sending ${mail.kind} message ${row.id} failed: ${error}`);
    await db.mailMessage.update({ where: { id: row.id }, data: { error: error.slice(0, 1000) } }).catch(() => undefined);
    return { id: row.id, delivered: false, error };
  }
}

/** The newest outbox messages, for /dev/mail (demo and test mode only; the page checks). */
export function recentMail(options: { to?: string; limit?: number } = {}) {
  return db.mailMessage.findMany({
    where: options.to ? { to: options.to.toLowerCase() } : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.limit ?? 50,
    select: { id: true, kind: true, to: true, subject: true, text: true, createdAt: true, sentAt: true, error: true },
  });
}
