import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ArtifactError,
  ConflictError,
  DatabaseArtifactStore,
  LocalArtifactStore,
  NotFoundError,
  type Registry,
  sha256,
} from "../../src/registry/index.js";
import { backends } from "../helpers/registries.js";

let workspaceCounter = 0;

for (const backend of backends()) {
  describe(`registry on ${backend.name}`, () => {
    let root: Registry;
    // Each test gets its own workspace: isolation without another database.
    const fresh = () => root.inWorkspace(`ws${++workspaceCounter}`);

    beforeAll(async () => {
      root = await backend.open();
    }, 120_000);
    afterAll(async () => {
      await root?.close();
      await backend.cleanup();
    });

    describe("runs", () => {
      it("records a run from RUNNING to COMPLETED with its results", async () => {
        const r = await fresh();
        const id = await r.runs.start({
          algorithm: "random_forest",
          params: { nEstimators: 50 },
          modelVersion: "v1",
        });
        expect((await r.runs.get(id)).status).toBe("RUNNING");
        await r.runs.finish(id, "COMPLETED", {
          metrics: { accuracy: 0.91, f1: 0.9 },
          perClass: [{ label: "HIGH", support: 10 }],
          importances: [{ name: "skill_category_Soft Skill", importance: 0.3 }],
          trainSize: 285,
          testSize: 72,
        });
        const run = await r.runs.get(id);
        expect(run).toMatchObject({
          status: "COMPLETED",
          algorithm: "random_forest",
          params: { nEstimators: 50 },
          metrics: { accuracy: 0.91, f1: 0.9 },
          perClass: [{ label: "HIGH", support: 10 }],
          trainSize: 285,
          testSize: 72,
          workspace: r.workspace,
        });
        expect(run.finishedAt).toBeInstanceOf(Date);
        await expect(r.runs.finish(id, "FAILED")).rejects.toThrow(/not RUNNING/);
      });

      it("records a failed run with its error and parameters; lists newest first, filtered", async () => {
        const r = await fresh();
        const ok = await r.runs.record({ modelVersion: "v1", metrics: { accuracy: 0.8 } });
        const failed = await r.runs.record({ status: "FAILED", error: "boom", params: { maxDepth: 3 } });
        expect((await r.runs.list()).map((x) => x.id)).toEqual([failed, ok]);
        const onlyFailed = await r.runs.list({ status: "FAILED" });
        expect(onlyFailed.map((x) => [x.id, x.error, x.params])).toEqual([[failed, "boom", { maxDepth: 3 }]]);
        expect(await r.runs.count("COMPLETED")).toBe(1);
        expect((await r.runs.list({ limit: 1, offset: 1 })).map((x) => x.id)).toEqual([ok]);
      });

      it("keeps workspaces apart", async () => {
        const a = await fresh();
        const b = await fresh();
        const id = await a.runs.record({ notes: "mine" });
        await expect(b.runs.get(id)).rejects.toThrow(NotFoundError);
        expect(await b.runs.list()).toEqual([]);
      });
    });

    describe("models and versions", () => {
      const version = (modelName: string, v: string, activate = false) => ({
        modelName,
        task: "binary",
        inputSchema: [{ kind: "numeric", name: "gpa" }],
        version: v,
        artifactUri: `file:models/${modelName}/${v}.model`,
        checksum: "ab".repeat(32),
        sizeBytes: 1234,
        metrics: { f1: v === "v1" ? 0.8 : 0.85 },
        activate,
      });

      it("adds versions, activates exactly one, resolves references", async () => {
        const r = await fresh();
        const v1 = await r.models.addVersion(version("adm", "v1", true));
        expect(v1).toMatchObject({ version: "v1", active: true, sizeBytes: 1234, modelName: "adm" });
        await r.models.addVersion(version("adm", "v2"));
        expect((await r.models.resolve("adm")).version).toBe("v1");
        await r.models.activate("adm", "v2");
        expect((await r.models.resolve("adm")).version).toBe("v2");
        expect((await r.models.versions("adm", { activeOnly: true })).map((v) => v.version)).toEqual(["v2"]);
        await r.models.setAlias("adm", "champion", "v1");
        expect((await r.models.resolve("adm:champion")).version).toBe("v1");
        expect((await r.models.resolve("adm@v1")).aliases).toEqual(["champion"]);
        const [m] = await r.models.list();
        expect(m).toMatchObject({ name: "adm", task: "binary", activeVersion: "v2", versionCount: 2 });
        await expect(r.models.resolve("adm@v9")).rejects.toThrow(NotFoundError);
        await expect(r.models.resolve("nope")).rejects.toThrow(/no active version of model "nope"/);
      });

      it("concurrent activations leave exactly one active version", async () => {
        const r = await fresh();
        for (const v of ["v1", "v2", "v3"]) await r.models.addVersion(version("m", v));
        for (let round = 0; round < 5; round++) {
          await Promise.all([
            r.models.activate("m", "v1"),
            r.models.activate("m", "v2"),
            r.models.activate("m", "v3"),
          ]);
          const active = (await r.models.versions("m")).filter((v) => v.active);
          expect(active).toHaveLength(1);
        }
      });

      it("a failure while recording a version changes nothing (no dangling or switched active version)", async () => {
        const r = await fresh();
        await r.models.addVersion(version("m", "v1", true));
        // A second v1 fails inside the transaction that would also have activated it.
        await expect(
          r.models.addVersion({ ...version("m", "v1", true), checksum: "cd".repeat(32) }),
        ).rejects.toThrow(ConflictError);
        const versions = await r.models.versions("m");
        expect(versions.map((v) => [v.version, v.active, v.checksum])).toEqual([
          ["v1", true, "ab".repeat(32)],
        ]);
        await expect(r.models.addVersion({ ...version("m", "v2"), task: "regression" })).rejects.toThrow(
          /binary model/,
        );
      });

      it("compares versions with deltas; protects the active version from delete and archive", async () => {
        const r = await fresh();
        await r.models.addVersion(version("m", "v1", true));
        await r.models.addVersion(version("m", "v2"));
        const cmp = await r.models.compare("m", ["v1", "v2"]);
        expect(cmp.metrics).toHaveLength(1);
        expect(cmp.metrics[0].name).toBe("f1");
        expect(cmp.metrics[0].values).toEqual([0.8, 0.85]);
        expect(cmp.metrics[0].deltas[1]).toBeCloseTo(0.05, 12);
        await expect(r.models.deleteVersion("m", "v1")).rejects.toThrow(/active version/);
        await expect(r.models.archive("m", "v1")).rejects.toThrow(/active version/);
        await r.models.archive("m", "v2");
        expect((await r.models.versions("m")).map((v) => v.version)).toEqual(["v1"]);
        await expect(r.models.activate("m", "v2")).rejects.toThrow(/archived/);
        const gone = await r.models.deleteVersion("m", "v2");
        expect(gone.version).toBe("v2");
        expect((await r.models.versions("m", { includeArchived: true })).map((v) => v.version)).toEqual([
          "v1",
        ]);
      });
    });

    describe("datasets and audit", () => {
      it("registers datasets and counts appended rows", async () => {
        const r = await fresh();
        const d = await r.datasets.register({
          name: "admissions",
          source: "examples/admissions.csv",
          fingerprint: "f1",
          rows: 3000,
          columns: 15,
          schema: [{ name: "gpa", type: "numeric" }],
        });
        await expect(r.datasets.register({ ...d, schema: [] })).rejects.toThrow(ConflictError);
        const after = await r.datasets.appended(d.id, 250, { rows: 3250, fingerprint: "f2" });
        expect(after).toMatchObject({ rows: 3250, newRows: 250, fingerprint: "f2" });
        await r.datasets.resetNewRows(d.id);
        expect((await r.datasets.get("admissions")).newRows).toBe(0);
        expect((await r.datasets.list()).map((x) => x.name)).toEqual(["admissions"]);
      });

      it("keeps an audit log", async () => {
        const r = await fresh();
        await r.audit.record({
          actor: "ana",
          action: "activate",
          targetType: "model_version",
          targetId: "m@v2",
        });
        await r.audit.record({
          actor: "bo",
          action: "delete",
          targetType: "model_version",
          targetId: "m@v1",
        });
        expect((await r.audit.list()).map((e) => [e.actor, e.action])).toEqual([
          ["bo", "delete"],
          ["ana", "activate"],
        ]);
        expect((await r.audit.list({ action: "activate" }))[0].targetId).toBe("m@v2");
      });
    });

    describe("artifacts", () => {
      it("the database store keeps bytes and verifies them", async () => {
        const store = new DatabaseArtifactStore(root.db);
        const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
        const a = await store.put(`models/x${workspaceCounter}/v1.model`, bytes);
        expect(a.checksum).toBe(sha256(bytes));
        expect([...(await store.get(a.uri, a.checksum))]).toEqual([...bytes]);
        await expect(store.get(a.uri, "00".repeat(32))).rejects.toThrow(/checksum mismatch/);
        await store.delete(a.uri);
        await expect(store.get(a.uri)).rejects.toThrow(ArtifactError);
      });
    });

    it("reopening applies no migration twice and keeps the data", async () => {
      const r = await fresh();
      const id = await r.runs.record({ notes: "persisted" });
      if (backend.name === "pglite") {
        await root.close();
        root = await backend.open();
      } else {
        const second = await backend.open();
        await second.close();
      }
      const again = await root.inWorkspace(r.workspace);
      expect((await again.runs.get(id)).notes).toBe("persisted");
    }, 120_000);
  });
}

describe("local artifact store", () => {
  it("writes atomically, verifies checksums and refuses paths outside the store", async () => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const store = new LocalArtifactStore(mkdtempSync(join(tmpdir(), "trainyard-artifacts-")));
    const bytes = new TextEncoder().encode("model bytes");
    const a = await store.put("models/adm/v1.model", bytes);
    expect(a.uri).toBe("file:models/adm/v1.model");
    const path = store.localPath(a.uri);
    expect(readFileSync(path, "utf8")).toBe("model bytes");
    expect(new TextDecoder().decode(await store.get(a.uri, a.checksum))).toBe("model bytes");
    writeFileSync(path, "tampered");
    await expect(store.get(a.uri, a.checksum)).rejects.toThrow(/checksum mismatch/);
    for (const bad of ["../escape.model", "/etc/passwd", "models/../../x", "a\0b", "", "C:\\x"]) {
      await expect(store.put(bad, bytes)).rejects.toThrow(ArtifactError);
    }
    await expect(store.get("file:../../etc/passwd")).rejects.toThrow(ArtifactError);
    await expect(store.get("file:models/none.model")).rejects.toThrow(/cannot read/);
  });
});
