import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publish } from "../../../src/jobs/events.js";
import { NotificationDispatcher } from "../../../src/jobs/notify/dispatcher.js";
import { InvalidInputError, type Registry } from "../../../src/registry/index.js";
import { backends } from "../../helpers/registries.js";

interface Mail {
  from: string;
  to: string[];
  raw: string;
}

/** The header value and the decoded plain-text body of a raw single-part message. */
function parse(raw: string): { headers: Record<string, string>; text: string } {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const headers: Record<string, string> = {};
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  let text = raw.slice(split + 4);
  if (/quoted-printable/i.test(headers["content-transfer-encoding"] ?? "")) {
    const bytes = text
      .replace(/=\r\n/g, "")
      .replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(Number.parseInt(h, 16)));
    text = Buffer.from(bytes, "latin1").toString("utf8");
  }
  return { headers, text: text.replace(/\r\n/g, "\n") };
}

describe("e-mail notifications through a real SMTP server", () => {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((a) => a.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  const [backend] = backends();
  let r: Registry;
  let smtpUrl: string;

  beforeAll(async () => {
    r = await backend.open();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await r?.close();
    await backend.cleanup();
  });

  it("sends each event as a readable e-mail", async () => {
    const sub = await r.subscriptions.create({ channel: "email", target: "ops@example.com" });
    expect(sub.secret).toBeNull();
    await publish(r, "validation.decided", {
      modelName: "churn",
      jobId: "j9",
      metric: "roc_auc",
      championScore: 0.81,
      challengerScore: 0.84,
      decision: "promoted",
      reason: "the challenger wins by 0.03 ≥ margin 0.01",
    });
    await publish(r, "job.failed", { jobId: "j10", modelName: "churn", error: "the dataset has 3 rows" });
    const dispatcher = new NotificationDispatcher({
      registry: r,
      smtpUrl,
      from: "trainyard <bot@example.com>",
    });
    try {
      const outcomes = await dispatcher.runOnce();
      expect(outcomes.map((o) => o.status)).toEqual(["DELIVERED", "DELIVERED"]);
    } finally {
      await dispatcher.stop();
    }
    expect(mails).toHaveLength(2);
    const byEvent = new Map(mails.map((m) => [parse(m.raw).headers["x-trainyard-event"], m]));

    const validation = byEvent.get("validation.decided") as Mail;
    expect(validation.to).toEqual(["ops@example.com"]);
    expect(validation.from).toBe("bot@example.com");
    const v = parse(validation.raw);
    expect(v.headers.subject).toBe("[trainyard] Validation of churn: promoted");
    expect(v.text).toContain("Challenger 0.84 vs champion 0.81 on roc_auc: promoted.");
    expect(v.text).toContain("the challenger wins by 0.03 ≥ margin 0.01");
    expect(v.text).toContain("Event: validation.decided");

    const failed = parse((byEvent.get("job.failed") as Mail).raw);
    expect(failed.headers.subject).toBe("[trainyard] Job j10 failed - model churn");
    expect(failed.text).toContain("The training job j10 failed: the dataset has 3 rows.");

    const log = await r.subscriptions.deliveries({ subscriptionId: sub.id });
    expect(log.map((d) => [d.status, d.attempts])).toEqual([
      ["DELIVERED", 1],
      ["DELIVERED", 1],
    ]);
    await r.subscriptions.delete(sub.id);
  });

  it("records a missing SMTP configuration as the delivery's error", async () => {
    const sub = await r.subscriptions.create({ channel: "email", target: "ops@example.com" });
    await publish(r, "model.activated", { modelName: "churn", version: "v4" });
    const saved = process.env.TRAINYARD_SMTP_URL;
    delete process.env.TRAINYARD_SMTP_URL;
    try {
      const [o] = await new NotificationDispatcher({ registry: r }).runOnce();
      expect(o).toMatchObject({ ok: false, status: "PENDING" });
    } finally {
      if (saved !== undefined) process.env.TRAINYARD_SMTP_URL = saved;
    }
    const [log] = await r.subscriptions.deliveries({ subscriptionId: sub.id });
    expect(log.lastError).toBe("no SMTP server configured (set TRAINYARD_SMTP_URL)");
  });

  it("refuses a bad address, naming the field", async () => {
    await expect(r.subscriptions.create({ channel: "email", target: "not an address" })).rejects.toSatisfy(
      (e) => e instanceof InvalidInputError && e.problems[0].path === "/target",
    );
    await expect(
      r.subscriptions.create({ channel: "email", target: "a@b.c", secret: "x".repeat(20) }),
    ).rejects.toBeInstanceOf(InvalidInputError);
  });
});
