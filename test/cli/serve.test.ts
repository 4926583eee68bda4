import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freshHome } from "../helpers/home.js";
import { http, startServer, startTrainyard } from "../helpers/server-process.js";

const home = freshHome("trainyard-serve-");
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("trainyard serve", () => {
  it("serves the API with the example datasets registered as copies, and stops cleanly on SIGTERM", async () => {
    const server = await startServer([], { TRAINYARD_HOME: home, DATABASE_URL: "" });
    try {
      const { status, body } = await http(server.url, "GET", "/v1/datasets?limit=100");
      expect(status).toBe(200);
      const items = (body as { items: { name: string; source: string; rows: number }[] }).items;
      const names = items.map((d) => d.name).sort();
      expect(names).toContain("admissions");
      expect(names).toContain("fincoach_goals");
      expect(names).toContain("reference_iris");
      for (const d of items) expect(d.source.startsWith(join(home, "examples"))).toBe(true);
      expect(items.find((d) => d.name === "admissions")?.rows).toBe(3000);
      expect(readdirSync(join(home, "examples"))).toContain("admissions.csv");
      const docs = await fetch(`${server.url}/docs/json`);
      expect(docs.status).toBe(200);
    } finally {
      server.proc.kill("SIGTERM");
    }
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/SIGTERM: stopping/);
  }, 180_000);

  it("refuses a bad option with exit 2 and a one-line reason", async () => {
    const p = startTrainyard(["serve", "--port", "lots"], { TRAINYARD_HOME: home, TRAINYARD_DEBUG: "" });
    expect(await p.exited).toBe(2);
    expect(p.output().trim()).toBe('trainyard: --port must be a whole number ≥ 0, got "lots"');
  }, 60_000);
});
