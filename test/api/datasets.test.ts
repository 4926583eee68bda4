import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { multipartBody } from "./multipart.js";
import { openApp, type TestApp } from "./setup.js";

const ADMISSIONS = resolve(import.meta.dirname, "../../examples/admissions.csv");
const CSV = "x,y,label\n1,2.5,a\n2,3.5,b\n3,1.5,a\n4,0.5,b\n";

let t: TestApp;
const appended: { id: number; added: number }[] = [];
beforeAll(async () => {
  t = await openApp({
    limits: { uploadLimit: 64 * 1024 },
    onAppend: (d, added) => {
      appended.push({ id: d.id, added });
    },
  });
}, 120_000);
afterAll(() => t.close());

describe("datasets", () => {
  it("uploads a CSV file, infers its schema and lists it", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/v1/datasets",
      ...multipartBody({ name: "small.csv", content: CSV }),
    });
    expect(res.statusCode).toBe(201);
    const d = res.json();
    expect(d).toMatchObject({ name: "small", rows: 4, columns: 3, newRows: 0, ready: false });
    expect(res.headers.location).toBe(`/v1/datasets/${d.id}`);
    const got = (await t.app.inject(`/v1/datasets/${d.id}`)).json();
    expect(got.schema.columns.map((c: { name: string }) => c.name)).toEqual(["x", "y", "label"]);
    const byName = (await t.app.inject("/v1/datasets/small")).json();
    expect(byName.id).toBe(d.id);
  });

  it("takes the name from a form field and refuses a duplicate with 409", async () => {
    const body = multipartBody(
      { name: "a.jsonl", content: '{"a":1,"b":"x"}\n{"a":2,"b":"y"}\n' },
      { name: "jsonl-set" },
    );
    const res = await t.app.inject({ method: "POST", url: "/v1/datasets", ...body });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: "jsonl-set", rows: 2 });
    const again = await t.app.inject({ method: "POST", url: "/v1/datasets", ...body });
    expect(again.statusCode).toBe(409);
    expect(again.headers["content-type"]).toMatch(/problem\+json/);
  });

  it("refuses a file over the upload limit with 413 and keeps nothing", async () => {
    const big = `a,b\n${"1,2\n".repeat(40_000)}`;
    const res = await t.app.inject({
      method: "POST",
      url: "/v1/datasets",
      ...multipartBody({ name: "big.csv", content: big }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ status: 413 });
    const list = (await t.app.inject("/v1/datasets?name=big")).json();
    expect(list.items).toEqual([]);
  });

  it("refuses an unknown file type and a body that is not multipart", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/v1/datasets",
      ...multipartBody({ name: "x.exe", content: "MZ" }),
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().errors[0].field).toBe("body/file");
    const json = await t.app.inject({ method: "POST", url: "/v1/datasets", payload: { a: 1 } });
    expect(json.statusCode).toBe(415);
  });

  it("registers a path, previews rows and reports quality", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/v1/datasets/register",
      payload: { name: "admissions", path: ADMISSIONS },
    });
    expect(res.statusCode).toBe(201);
    const d = res.json();
    expect(d.rows).toBe(3000);
    const preview = (await t.app.inject(`/v1/datasets/${d.id}/preview?limit=3`)).json();
    expect(preview.rows).toHaveLength(3);
    expect(preview.rows[0].applicant_id).toBe("A00001");
    const q = await t.app.inject(`/v1/datasets/${d.id}/quality?target=admitted`);
    expect(q.statusCode).toBe(200);
    expect(q.json().verdict).toBeDefined();
    const bad = await t.app.inject(`/v1/datasets/${d.id}/quality?target=nope`);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe("querystring/target");
  });

  it("suggests what to train on a dataset", async () => {
    const res = await t.app.inject("/v1/datasets/admissions/suggestions?target=admitted");
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.algorithms).toContain("random_forest");
    expect(s.targetMetric).toEqual(expect.any(String));
    expect(s.reasons.length).toBeGreaterThan(0);
    const bad = await t.app.inject("/v1/datasets/admissions/suggestions?target=nope");
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe("querystring/target");
  });

  it("names the failing field of a bad register request", async () => {
    const unknown = await t.app.inject({
      method: "POST",
      url: "/v1/datasets/register",
      payload: { name: "z", path: "/x", extra: 1 },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toContainEqual({ field: "body/extra", message: "is not a known field" });
    const wrongType = await t.app.inject({
      method: "POST",
      url: "/v1/datasets/register",
      payload: { name: "z", path: 5 },
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().errors[0].field).toBe("body/path");
    const missing = await t.app.inject({
      method: "POST",
      url: "/v1/datasets/register",
      payload: { name: "z", path: "/no/such/file.csv" },
    });
    expect(missing.statusCode).toBe(422);
    const malformed = await t.app.inject({
      method: "POST",
      url: "/v1/datasets/register",
      headers: { "content-type": "application/json" },
      payload: "{nope",
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().status).toBe(400);
  });

  it("appends rows, counts them as new rows and calls the append hook", async () => {
    const up = await t.app.inject({
      method: "POST",
      url: "/v1/datasets",
      ...multipartBody({ name: "grow.csv", content: CSV }),
    });
    const d = up.json();
    const res = await t.app.inject({
      method: "POST",
      url: `/v1/datasets/${d.id}/rows`,
      payload: {
        rows: [
          { x: 5, y: 1.25, label: "a, with comma" },
          { x: null, label: "b" },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().dataset).toMatchObject({ rows: 6, newRows: 2 });
    expect(appended).toContainEqual({ id: d.id, added: 2 });
    expect(readFileSync(res.json().dataset.source, "utf8")).toContain('5,1.25,"a, with comma"\n,,b\n');
    const preview = (await t.app.inject(`/v1/datasets/${d.id}/preview?limit=10`)).json();
    expect(preview.rows).toHaveLength(6);
    expect(preview.rows[4]).toEqual({ x: 5, y: 1.25, label: "a, with comma" });

    const bad = await t.app.inject({
      method: "POST",
      url: `/v1/datasets/${d.id}/rows`,
      payload: { rows: [{ x: "five", z: 1 }] },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual([
      "body/rows/0/x",
      "body/rows/0/z",
    ]);
  });

  it("marks a dataset ready and filters by it, paginating with next links", async () => {
    const list1 = (await t.app.inject("/v1/datasets?limit=2")).json();
    expect(list1.items).toHaveLength(2);
    expect(list1.next).toBe("/v1/datasets?limit=2&offset=2");
    const list2 = (await t.app.inject(list1.next)).json();
    expect(list2.items.length).toBeGreaterThan(0);
    expect(list2.items[0].id).not.toBe(list1.items[0].id);
    const ready = await t.app.inject({ method: "POST", url: "/v1/datasets/admissions/ready" });
    expect(ready.json().ready).toBe(true);
    const only = (await t.app.inject("/v1/datasets?ready=true")).json();
    expect(only.items.map((d: { name: string }) => d.name)).toEqual(["admissions"]);
    const badQuery = await t.app.inject("/v1/datasets?limit=abc");
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.json().errors[0].field).toBe("querystring/limit");
  });

  it("answers an unknown dataset with 404", async () => {
    const res = await t.app.inject("/v1/datasets/999");
    expect(res.statusCode).toBe(404);
    expect(res.json().detail).toContain("999");
  });
});
