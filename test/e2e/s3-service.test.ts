import { createHmac } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMISSIONS_ROW } from "../../examples/sample-rows.js";
import { freshHome } from "../helpers/home.js";
import { eventually, http, ROOT, startServer, type TrainyardProcess } from "../helpers/server-process.js";

/**
 * Scenario S3 end to end over HTTP against a real `trainyard serve` process (embedded database,
 * in-process queue): upload → train several algorithms with random search → live progress →
 * leaderboard → versions → activate → predict → compare, with a signed webhook on completion.
 */

type Obj = Record<string, unknown>;
const SECRET = "e2e-webhook-secret-0123456789";
const ADMISSIONS = join(ROOT, "examples/admissions.csv");

let server: TrainyardProcess & { url: string };
let home: string;
let receiver: Server;
let hookUrl: string;
const hooks: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];

beforeAll(async () => {
  home = freshHome("trainyard-e2e-s3-");
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      hooks.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  server = await startServer(["--no-examples", "--grace", "2"], { TRAINYARD_HOME: home, DATABASE_URL: "" });
}, 120_000);

afterAll(async () => {
  server?.proc.kill("SIGTERM");
  await server?.exited;
  await new Promise((r) => receiver?.close(r));
  rmSync(home, { recursive: true, force: true });
});

async function upload(name: string, path: string): Promise<Obj> {
  const form = new FormData();
  form.append("file", new Blob([readFileSync(path)]), "admissions.csv");
  const res = await fetch(`${server.url}/v1/datasets?name=${name}`, { method: "POST", body: form });
  expect(res.status).toBe(201);
  return (await res.json()) as Obj;
}

/** The Server-Sent Events of a job until the stream ends: [event, data] pairs. */
async function streamEvents(jobId: string): Promise<[string, Obj][]> {
  const res = await fetch(`${server.url}/v1/jobs/${jobId}/events`);
  expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
  const text = await res.text(); // the server ends the stream when the job ends
  return text
    .split("\n\n")
    .filter((b) => b.includes("data:"))
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "null") as Obj;
      return [event, data];
    });
}

async function waitForJob(id: string, timeoutMs = 180_000): Promise<Obj> {
  return eventually(async () => {
    const { body } = await http(server.url, "GET", `/v1/jobs/${id}`);
    const job = body as Obj;
    return ["COMPLETED", "FAILED", "CANCELLED"].includes(job.status as string) ? job : undefined;
  }, timeoutMs);
}

describe("S3: admission prediction behind the API", () => {
  let datasetId: number;
  let firstJob: string;

  it("uploads the dataset and subscribes a webhook", async () => {
    const ds = await upload("admissions", ADMISSIONS);
    datasetId = ds.id as number;
    expect(ds.rows).toBe(3000);
    const sub = await http(server.url, "POST", "/v1/subscriptions", {
      channel: "webhook",
      target: hookUrl,
      secret: SECRET,
      events: ["job.completed", "job.failed", "model.activated"],
    });
    expect(sub.status).toBe(201);
  });

  it("trains four algorithms with random search in the background, with live progress and a leaderboard", async () => {
    const started = await http(server.url, "POST", "/v1/train", {
      dataset: { datasetId },
      target: "admitted",
      algorithms: ["random_forest", "gradient_boosting", "logistic_regression", "mlp"],
      tuning: { method: "random", trials: 2 },
      hyperparameters: { random_forest: { nEstimators: 30 }, gradient_boosting: { nEstimators: 30 } },
      cvFolds: 3,
      targetMetric: "f1",
      model: { name: "admissions" },
    });
    expect(started.status).toBe(202);
    firstJob = (started.body as Obj).jobId as string;

    const listed = await http(server.url, "GET", "/v1/jobs?status=QUEUED,RUNNING&limit=1");
    expect(listed.status).toBe(200);
    expect((listed.body as Obj).items).toHaveLength(1);

    const events = await streamEvents(firstJob);
    const percents = events
      .filter(([e, d]) => e === "progress" && typeof d.percent === "number")
      .map(([, d]) => d.percent as number);
    expect(percents.length).toBeGreaterThan(2);
    expect(Math.max(...percents)).toBeGreaterThan(50);
    expect(events.some(([e]) => e === "completed")).toBe(true);

    const job = await waitForJob(firstJob);
    expect(job.status).toBe("COMPLETED");
    expect(job.progress).toBe(100);
    expect(job.stage).toBe("done");
    const result = job.result as Obj;
    const board = result.leaderboard as Obj[];
    expect(board.map((e) => e.algorithm).sort()).toEqual(
      ["gradient_boosting", "logistic_regression", "mlp", "random_forest"].sort(),
    );
    const means = board.map((e) => e.cvMean as number);
    expect(means).toEqual([...means].sort((a, b) => b - a));
    expect(board.every((e) => typeof e.cvStd === "number" && (e.trials as number) === 2)).toBe(true);
    expect((result.model as Obj).versionId).toEqual(expect.any(Number));

    const logs = await http(server.url, "GET", `/v1/jobs/${firstJob}/logs`);
    expect(((logs.body as Obj).items as Obj[]).length).toBeGreaterThan(3);
  }, 300_000);

  it("sends a signed webhook when the job completes", async () => {
    const hook = await eventually(async () =>
      hooks.find((h) => h.headers["x-trainyard-event"] === "job.completed"),
    );
    const ts = hook.headers["x-trainyard-timestamp"] as string;
    const expected = `sha256=${createHmac("sha256", SECRET).update(`${ts}.${hook.body}`).digest("hex")}`;
    expect(hook.headers["x-trainyard-signature"]).toBe(expected);
    expect((JSON.parse(hook.body) as Obj).event).toBe("job.completed");
  }, 60_000);

  it("lists versions, activates one, compares them and serves predictions", async () => {
    const second = await http(server.url, "POST", "/v1/train", {
      dataset: { datasetId },
      target: "admitted",
      algorithms: ["gradient_boosting"],
      hyperparameters: { gradient_boosting: { nEstimators: 40 } },
      model: { name: "admissions", version: "gb-2" },
    });
    expect(second.status).toBe(202);
    const job = await waitForJob((second.body as Obj).jobId as string);
    expect(job.status).toBe("COMPLETED");

    const versions = await http(server.url, "GET", "/v1/models/admissions/versions?limit=10");
    const items = (versions.body as Obj).items as Obj[];
    expect(items).toHaveLength(2);
    expect(items.filter((v) => v.active)).toHaveLength(1); // the first version stays active
    expect(items.find((v) => v.version === "gb-2")?.active).toBe(false);

    const activated = await http(server.url, "POST", "/v1/models/admissions/activate", { version: "gb-2" });
    expect(activated.status).toBe(200);
    const after = ((await http(server.url, "GET", "/v1/models/admissions/versions")).body as Obj)
      .items as Obj[];
    expect(after.filter((v) => v.active).map((v) => v.version)).toEqual(["gb-2"]);

    const compared = await http(
      server.url,
      "GET",
      `/v1/models/admissions/compare?versions=${items.map((v) => v.version).join(",")}`,
    );
    expect(compared.status).toBe(200);

    const row = ADMISSIONS_ROW;
    const pred = await http(server.url, "POST", "/v1/models/admissions/predict", { rows: [row, row] });
    expect(pred.status).toBe(200);
    const body = pred.body as Obj;
    expect(body.version).toBe("gb-2");
    const predictions = body.predictions as Obj[];
    expect(predictions).toHaveLength(2);
    expect(["yes", "no"]).toContain(predictions[0].prediction);
    expect(predictions[1]).toEqual(predictions[0]);
    const p = predictions[0].probabilities as Record<string, number>;
    expect(p.yes + p.no).toBeCloseTo(1, 9);

    const metrics = await http(server.url, "GET", "/v1/models/admissions/metrics");
    expect(metrics.status).toBe(200);
    const importance = await http(server.url, "GET", "/v1/models/admissions/importance?top=10");
    expect(importance.status).toBe(200);
    const heat = await fetch(`${server.url}/v1/models/admissions/plots/confusion_matrix`);
    expect(heat.status).toBe(200);
    expect(await heat.text()).toContain("confusion matrix");
    const plot = await fetch(`${server.url}/v1/models/admissions/plots/roc`);
    expect(plot.status).toBe(200);
    expect(plot.headers.get("content-type")).toMatch(/svg/);
    expect(await plot.text()).toContain("<svg");

    const hook = await eventually(async () =>
      hooks.find((h) => h.headers["x-trainyard-event"] === "model.activated"),
    );
    expect((JSON.parse(hook.body) as { data: Obj }).data).toMatchObject({ model: "admissions" });
  }, 300_000);

  it("answers bad requests with problem+json, never a 500", async () => {
    const raw = (method: string, path: string, body: string, type = "application/json") =>
      fetch(`${server.url}${path}`, { method, headers: { "content-type": type }, body });
    const cases: [Promise<Response>, number][] = [
      [raw("POST", "/v1/train", "{not json"), 400],
      [
        raw("POST", "/v1/train", JSON.stringify({ dataset: { datasetId }, target: "admitted", bogus: 1 })),
        400,
      ],
      [raw("POST", "/v1/train", JSON.stringify({ dataset: { datasetId }, target: 42 })), 400],
      [
        raw("POST", "/v1/models/admissions/predict", JSON.stringify({ rows: "x".repeat(11 * 1024 * 1024) })),
        413,
      ],
      [fetch(`${server.url}/v1/jobs/00000000-0000-0000-0000-000000000000`), 404],
      [fetch(`${server.url}/v1/models/no-such-model`), 404],
      [raw("POST", "/v1/models/admissions/predict", JSON.stringify({ rows: [{ gpa: "high" }] })), 422],
    ];
    for (const [pending, status] of cases) {
      const res = await pending;
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toMatch(/application\/problem\+json/);
      const problem = (await res.json()) as Obj;
      expect(problem.status).toBe(status);
      expect(typeof problem.title).toBe("string");
    }
  });

  it("reports status: models, jobs by status, queue depth, workers", async () => {
    const { body } = await http(server.url, "GET", "/v1/status");
    const s = body as Obj;
    expect((s.jobs as Obj).COMPLETED).toBe(2);
    expect((s.queue as Obj).depth).toBe(0);
    const workers = s.workers as Obj[];
    expect(workers.length).toBeGreaterThanOrEqual(1);
    expect(workers[0].heartbeatAgeMs as number).toBeLessThan(30_000);
  });
});
