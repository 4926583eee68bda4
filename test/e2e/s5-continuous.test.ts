import { copyFileSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshHome } from "../helpers/home.js";
import { eventually, http, ROOT, startServer, type TrainyardProcess } from "../helpers/server-process.js";

/**
 * Scenario S5's continuous learning end to end over HTTP against a real `trainyard serve`
 * process: a trigger on appended rows retrains, the challenger is validated against the
 * champion and the decision is queryable, the new-rows counter resets; a cron schedule fires.
 */

type Obj = Record<string, unknown>;

let server: TrainyardProcess & { url: string };
let home: string;
let dataPath: string;

const config = (datasetId: number) => ({
  dataset: { datasetId },
  target: "goal_achieved",
  algorithms: ["random_forest"],
  hyperparameters: { random_forest: { nEstimators: 30 } },
  targetMetric: "f1",
  model: { name: "goals" },
});

beforeAll(async () => {
  home = freshHome("trainyard-e2e-s5-");
  dataPath = join(home, "goals.csv");
  copyFileSync(join(ROOT, "examples/fincoach/goals.csv"), dataPath);
  server = await startServer(
    ["--no-examples", "--grace", "2", "--schedule-interval", "300", "--trigger-interval", "1000"],
    {
      TRAINYARD_HOME: home,
      DATABASE_URL: "",
    },
  );
}, 120_000);

afterAll(async () => {
  server?.proc.kill("SIGTERM");
  await server?.exited;
  rmSync(home, { recursive: true, force: true });
});

async function get(path: string): Promise<Obj> {
  const res = await http(server.url, "GET", path);
  expect(res.status).toBe(200);
  return res.body as Obj;
}

async function finished(id: string): Promise<Obj> {
  return eventually(async () => {
    const job = await get(`/v1/jobs/${id}`);
    return ["COMPLETED", "FAILED", "CANCELLED"].includes(job.status as string) ? job : undefined;
  }, 180_000);
}

/** Rows of the CSV as JSON objects with their inferred types (numbers and booleans as such). */
function csvRows(n: number): Obj[] {
  const [head, ...lines] = readFileSync(dataPath, "utf8").trim().split("\n");
  const names = head.split(",");
  return lines.slice(0, n).map((line) => {
    const cells = line.split(",");
    const row: Obj = {};
    names.forEach((name, i) => {
      const v = cells[i];
      row[name] =
        v === ""
          ? null
          : v === "true" || v === "false"
            ? v === "true"
            : Number.isNaN(Number(v))
              ? v
              : Number(v);
    });
    return row;
  });
}

describe("S5: continuous training", () => {
  let datasetId: number;

  it("trains the first (champion) version", async () => {
    const ds = await http(server.url, "POST", "/v1/datasets/register", { name: "goals", path: dataPath });
    expect(ds.status).toBe(201);
    datasetId = (ds.body as Obj).id as number;
    const started = await http(server.url, "POST", "/v1/train", config(datasetId));
    expect(started.status).toBe(202);
    const job = await finished((started.body as Obj).jobId as string);
    expect(job.status).toBe("COMPLETED");
    expect(((await get("/v1/models/goals")) as Obj).activeVersion).toEqual(expect.any(String));
  }, 200_000);

  it("retrains when appended rows reach the trigger's threshold, validates the challenger and resets the counter", async () => {
    const trigger = await http(server.url, "POST", "/v1/triggers", {
      name: "goals-new-rows",
      modelName: "goals",
      datasetId,
      conditions: { newRows: 200 },
      config: config(datasetId),
      promotion: { auto: true, margin: 0 },
    });
    expect(trigger.status).toBe(201);

    const rows = csvRows(250);
    const few = await http(server.url, "POST", `/v1/datasets/${datasetId}/rows`, {
      rows: rows.slice(0, 150),
    });
    expect(few.status).toBe(200);
    expect(((await get(`/v1/datasets/${datasetId}`)) as Obj).newRows).toBe(150);
    expect(
      ((await get("/v1/jobs?limit=10")).items as Obj[]).filter((j) => j.kind === "retrain"),
    ).toHaveLength(0);

    const more = await http(server.url, "POST", `/v1/datasets/${datasetId}/rows`, { rows: rows.slice(150) });
    expect(more.status).toBe(200);
    const retrain = await eventually(async () => {
      const jobs = (await get("/v1/jobs?limit=10")).items as Obj[];
      return jobs.find((j) => j.kind === "retrain");
    }, 30_000);
    expect(retrain.origin).toMatchObject({ type: "trigger", promotion: { auto: true, margin: 0 } });
    const done = await finished(retrain.id as string);
    expect(done.status).toBe("COMPLETED");

    const validations = ((await get("/v1/models/goals/validations")).items as Obj[]) ?? [];
    expect(validations).toHaveLength(1);
    const v = validations[0];
    expect(["promoted", "rejected"]).toContain(v.decision);
    expect(v.championScore).toEqual(expect.any(Number));
    expect(v.challengerScore).toEqual(expect.any(Number));
    expect(typeof v.reason).toBe("string");
    // The decision matches the scores: auto-promotion with margin 0 promotes a challenger at least as good.
    expect(v.decision === "promoted").toBe((v.challengerScore as number) >= (v.championScore as number));
    const versions = (await get("/v1/models/goals/versions")).items as Obj[];
    expect(versions).toHaveLength(2);
    expect(versions.filter((x) => x.active)).toHaveLength(1);

    const ds = await get(`/v1/datasets/${datasetId}`);
    expect(ds.newRows).toBe(0);
    expect(ds.rows).toBe(2250);
  }, 240_000);

  it("fires a cron schedule once per tick", async () => {
    const created = await http(server.url, "POST", "/v1/schedules", {
      name: "every-second",
      cron: "* * * * * *",
      timezone: "Europe/Berlin",
      modelName: "goals",
      config: config(datasetId),
    });
    expect(created.status).toBe(201);
    const id = (created.body as Obj).id as number;
    const firing = await eventually(async () => {
      const items = (await get(`/v1/schedules/${id}/firings`)).items as Obj[];
      return items.find((f) => f.jobId);
    }, 30_000);
    const off = await http(server.url, "PATCH", `/v1/schedules/${id}`, { enabled: false });
    expect(off.status).toBe(200);
    const job = await get(`/v1/jobs/${firing.jobId}`);
    expect(job.origin).toMatchObject({ type: "schedule", id });
    const ticks = ((await get(`/v1/schedules/${id}/firings?limit=200`)).items as Obj[]).map((f) => f.tick);
    expect(new Set(ticks).size).toBe(ticks.length);

    const badCron = await http(server.url, "POST", "/v1/schedules", {
      name: "bad",
      cron: "61 * * * *",
      config: config(datasetId),
    });
    expect(badCron.status).toBe(400);
    expect(JSON.stringify(badCron.body)).toContain("cron");
  }, 60_000);
});
