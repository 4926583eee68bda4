import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApp, type TestApp } from "./setup.js";

let t: TestApp;
beforeAll(async () => {
  t = await openApp();
}, 120_000);
afterAll(() => t.close());

describe("app", () => {
  it("answers health, readiness and the OpenAPI document", async () => {
    expect((await t.app.inject("/healthz")).json()).toEqual({ status: "ok" });
    const root = await t.app.inject("/");
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe("/docs");
    expect((await t.app.inject("/readyz")).json()).toEqual({ status: "ready" });
    const doc = (await t.app.inject("/docs/json")).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of [
      "/v1/status",
      "/v1/train",
      "/v1/jobs/{id}/events",
      "/v1/datasets",
      "/v1/datasets/{id}/rows",
      "/v1/models/{name}/predict",
      "/v1/models/{name}/predict/batch",
      "/v1/models/{name}/curves",
      "/v1/datasets/{id}/suggestions",
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(
      doc.paths["/v1/train"].post.requestBody.content["application/json"].schema.properties.target,
    ).toBeDefined();
    const ui = await t.app.inject("/docs");
    expect(ui.statusCode).toBeLessThan(400);
  });

  it("answers an unknown route with a problem document", async () => {
    const res = await t.app.inject("/v1/nothing");
    expect(res.statusCode).toBe(404);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 404, title: "Not Found" });
  });

  it("reports status", async () => {
    const res = await t.app.inject("/v1/status");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ jobs: { QUEUED: 0 }, queue: { depth: 0 }, workers: [] });
  });
});
