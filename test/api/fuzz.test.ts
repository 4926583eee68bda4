import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApp, type TestApp } from "./setup.js";

// Random JSON bodies and query strings against the JSON endpoints: never a 500, always a
// problem document when refused.
let t: TestApp;
beforeAll(async () => {
  t = await openApp();
  await t.registry.datasets.register({
    name: "d",
    source: "/nonexistent.csv",
    fingerprint: "x",
    rows: 0,
    columns: 0,
    schema: {},
  });
}, 120_000);
afterAll(() => t.close());

const ROUTES: { method: "POST" | "GET"; url: string }[] = [
  { method: "POST", url: "/v1/train" },
  { method: "POST", url: "/v1/models/m/predict" },
  { method: "POST", url: "/v1/models/m/activate" },
  { method: "POST", url: "/v1/models/m/explain" },
  { method: "POST", url: "/v1/datasets/register" },
  { method: "POST", url: "/v1/datasets/d/rows" },
];

describe("fuzzed requests", () => {
  it("never answer 500 to a random JSON body", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), fc.jsonValue({ maxDepth: 3 }), async (route, body) => {
        const res = await t.app.inject({
          method: route.method,
          url: route.url,
          payload: JSON.stringify(body),
          headers: { "content-type": "application/json" },
        });
        expect(res.statusCode, `${route.url} ${JSON.stringify(body)} → ${res.body}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(res.headers["content-type"]).toMatch(/problem\+json/);
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it("never answer 500 to random query strings", async () => {
    const key = fc.constantFrom(
      "limit",
      "offset",
      "status",
      "model",
      "active",
      "name",
      "ready",
      "version",
      "alias",
      "target",
      "top",
      "after",
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          "/v1/jobs",
          "/v1/models",
          "/v1/datasets",
          "/v1/models/m/importance",
          "/v1/datasets/d/quality",
          "/v1/jobs/x/logs",
        ),
        fc.array(fc.tuple(key, fc.string({ maxLength: 8 })), { maxLength: 4 }),
        async (path, pairs) => {
          const qs = new URLSearchParams(pairs).toString();
          const res = await t.app.inject(`${path}?${qs}`);
          expect(res.statusCode, `${path}?${qs} → ${res.body}`).toBeLessThan(500);
        },
      ),
      { numRuns: 150, seed: 11 },
    );
  });
});
