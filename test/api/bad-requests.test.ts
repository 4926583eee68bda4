import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApp, type TestApp } from "./setup.js";

// Whatever a client sends, the answer is a 4xx problem document, never a 500.
let t: TestApp;
beforeAll(async () => {
  t = await openApp({ limits: { bodyLimit: 4096 } });
}, 120_000);
afterAll(() => t.close());

const json = { "content-type": "application/json" };

describe("bad requests", () => {
  const cases: {
    name: string;
    method: "GET" | "POST" | "DELETE";
    url: string;
    payload?: string;
    headers?: Record<string, string>;
    status: number;
    field?: string;
  }[] = [
    {
      name: "malformed JSON",
      method: "POST",
      url: "/v1/train",
      payload: '{"target": ',
      headers: json,
      status: 400,
    },
    {
      name: "JSON that is not an object",
      method: "POST",
      url: "/v1/train",
      payload: "[1,2]",
      headers: json,
      status: 400,
    },
    {
      name: "empty JSON body",
      method: "POST",
      url: "/v1/models/m/predict",
      payload: "",
      headers: json,
      status: 400,
    },
    {
      name: "a body over the limit",
      method: "POST",
      url: "/v1/models/m/predict",
      payload: JSON.stringify({ rows: [{ x: "y".repeat(5000) }] }),
      headers: json,
      status: 413,
    },
    {
      name: "an unsupported media type",
      method: "POST",
      url: "/v1/train",
      payload: "target=y",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      status: 415,
    },
    {
      name: "an unknown field",
      method: "POST",
      url: "/v1/models/m/activate",
      payload: '{"version":"v1","force":true}',
      headers: json,
      status: 400,
      field: "body/force",
    },
    {
      name: "a wrong type",
      method: "POST",
      url: "/v1/models/m/activate",
      payload: '{"version":7}',
      headers: json,
      status: 400,
      field: "body/version",
    },
    {
      name: "a missing field",
      method: "POST",
      url: "/v1/models/m/activate",
      payload: "{}",
      headers: json,
      status: 400,
      field: "body/version",
    },
    {
      name: "a bad path parameter",
      method: "GET",
      url: "/v1/models/%20bad%20name",
      status: 400,
      field: "params/name",
    },
    {
      name: "an unknown query parameter",
      method: "GET",
      url: "/v1/models?sort=name",
      status: 400,
      field: "querystring/sort",
    },
    {
      name: "an out-of-range limit",
      method: "GET",
      url: "/v1/jobs?limit=100000",
      status: 400,
      field: "querystring/limit",
    },
    {
      name: "a negative offset",
      method: "GET",
      url: "/v1/datasets?offset=-1",
      status: 400,
      field: "querystring/offset",
    },
    { name: "an unknown model", method: "GET", url: "/v1/models/ghost", status: 404 },
    {
      name: "an unknown model to predict",
      method: "POST",
      url: "/v1/models/ghost/predict",
      payload: '{"rows":[{}]}',
      headers: json,
      status: 404,
    },
    {
      name: "an unknown job",
      method: "GET",
      url: "/v1/jobs/00000000-0000-0000-0000-000000000000",
      status: 404,
    },
    { name: "an unknown job's events", method: "GET", url: "/v1/jobs/ghost/events", status: 404 },
    { name: "an unknown job's logs", method: "GET", url: "/v1/jobs/ghost/logs", status: 404 },
    { name: "an unknown dataset", method: "GET", url: "/v1/datasets/ghost/preview", status: 404 },
    {
      name: "suggestions without a target",
      method: "GET",
      url: "/v1/datasets/1/suggestions",
      status: 400,
      field: "querystring/target",
    },
    { name: "an unknown route", method: "DELETE", url: "/v1/models", status: 404 },
  ];
  for (const c of cases) {
    it(`answers ${c.name} with ${c.status}`, async () => {
      const res = await t.app.inject({
        method: c.method,
        url: c.url,
        payload: c.payload,
        headers: c.headers,
      });
      expect(res.statusCode, res.body).toBe(c.status);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      const p = res.json();
      expect(p).toMatchObject({
        status: c.status,
        title: expect.any(String),
        detail: expect.any(String),
        type: expect.any(String),
      });
      if (c.field) expect(p.errors.map((e: { field: string }) => e.field)).toContain(c.field);
    });
  }
});
