import { expect, it } from "vitest";
import { openApp } from "./setup.js";

it("closing the app ends open event streams instead of waiting for them", async () => {
  const t = await openApp();
  const job = await t.registry.jobs.create({ config: {} });
  const base = await t.app.listen({ port: 0, host: "127.0.0.1" });
  const res = await fetch(`${base}/v1/jobs/${job.id}/events`);
  const reader = res.body?.getReader();
  await reader?.read(); // the snapshot
  const closed = t.close();
  let done = false;
  while (!done) done = (await reader?.read())?.done ?? true;
  await closed;
  expect(done).toBe(true);
}, 60_000);
