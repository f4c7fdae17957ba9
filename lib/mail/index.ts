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
 */
export type MailKind = "verify_email" | "reset_password" | "invitation" | "sales_lead" | (string & {});
/** `replyTo`: where a reply goes instead of MAIL_FROM (a sales lead's own address); SMTP only, not kept in the outbox. */
export type OutgoingMail = { to: string; subject: string; text: string; html?: string; kind: MailKind; replyTo?: string };
export type SentMail = { id: string; delivered: boolean; error: string | null };

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
  const row = await db.mailMessage.create({
    data: { kind: mail.kind, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html ?? null, createdAt: now() },
    select: { id: true },
  });
  const smtp = transport();
  if (!smtp) return { id: row.id, delivered: false, error: null };
  try {
    await smtp.sendMail({ from: env.MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.html ? { html: mail.html } : {}), ...(mail.replyTo ? { replyTo: mail.replyTo } : {}) });
    await db.mailMessage.update({ where: { id: row.id }, data: { sentAt: now() } });
    return { id: row.id, delivered: true, error: null };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    console.error(`[mail] sending ${mail.kind} message ${row.id} failed: ${error}`);
    await db.mailMessage.update({ where: { id: row.id }, data: { error: error.slice(0, 1000) } });
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
