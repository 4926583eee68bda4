import nodemailer, { type Transporter, type TransportOptions } from "nodemailer";
import type { ClaimedDelivery } from "../../registry/index.js";
import { formatMessage } from "./format.js";
import type { AttemptResult } from "./webhook.js";

export interface EmailOptions {
  /** `smtp://user:pass@host:port` or `smtps://…` (default `$TRAINYARD_SMTP_URL`). */
  smtpUrl?: string;
  /** The sender (default `$TRAINYARD_SMTP_FROM` or `trainyard <trainyard@localhost>`). */
  from?: string;
  timeoutMs?: number;
}

/** Sends event e-mails through one SMTP server (nodemailer keeps the connection settings). */
export class EmailSender {
  private readonly transport: Transporter | null;
  private readonly from: string;

  constructor(options: EmailOptions = {}) {
    const url = options.smtpUrl ?? process.env.TRAINYARD_SMTP_URL;
    const timeout = options.timeoutMs ?? 10_000;
    this.transport = url
      ? nodemailer.createTransport({
          url,
          connectionTimeout: timeout,
          greetingTimeout: timeout,
          socketTimeout: timeout,
        } as TransportOptions)
      : null;
    this.from = options.from ?? process.env.TRAINYARD_SMTP_FROM ?? "trainyard <trainyard@localhost>";
  }

  get configured(): boolean {
    return this.transport !== null;
  }

  async send(d: ClaimedDelivery): Promise<AttemptResult> {
    if (!this.transport)
      return { ok: false, responseStatus: null, error: "no SMTP server configured (set TRAINYARD_SMTP_URL)" };
    const { subject, text } = formatMessage(d.event, d.payload);
    try {
      await this.transport.sendMail({
        from: this.from,
        to: d.target,
        subject,
        text,
        headers: { "X-Trainyard-Event": d.event, "X-Trainyard-Delivery": String(d.id) },
      });
      return { ok: true, responseStatus: null, error: null };
    } catch (e) {
      const err = e as Error & { responseCode?: number };
      return { ok: false, responseStatus: err.responseCode ?? null, error: `SMTP: ${err.message}` };
    }
  }

  close(): void {
    this.transport?.close();
  }
}
