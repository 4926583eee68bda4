import { describe, expect, it } from "vitest";
import { decide, promotionOf } from "../../src/jobs/index.js";

const champion = (score: number | null) => ({
  versionId: 1,
  version: "v1",
  score,
  error: score === null ? "bad file" : null,
});

describe("champion/challenger rule", () => {
  it("promotes only a challenger that wins by the margin, and only when auto", () => {
    const scores = { metric: "f1_macro", challengerScore: 0.9, champion: champion(0.85) };
    expect(decide({ auto: true, margin: 0.02 }, scores)).toMatchObject({
      decision: "promoted",
      activate: true,
    });
    expect(decide({ auto: false, margin: 0.02 }, scores)).toMatchObject({
      decision: "passed",
      activate: false,
    });
    const d = decide({ auto: true, margin: 0.1 }, scores);
    expect(d).toMatchObject({ decision: "rejected", activate: false });
    expect(d.reason).toContain("0.9 vs champion 0.85");
    // A tie wins a zero margin (the newer model on equal evidence).
    expect(decide({ auto: true, margin: 0 }, { ...scores, challengerScore: 0.85 }).decision).toBe("promoted");
  });

  it("without a champion activates when auto; an unscorable champion is kept", () => {
    const none = { metric: "r2", challengerScore: 0.5, champion: null };
    expect(decide({ auto: true, margin: 0.1 }, none)).toMatchObject({
      decision: "no_champion",
      activate: true,
    });
    expect(decide({ auto: false, margin: 0 }, none)).toMatchObject({
      decision: "no_champion",
      activate: false,
    });
    const broken = decide(
      { auto: true, margin: 0 },
      { metric: "r2", challengerScore: 0.5, champion: champion(null) },
    );
    expect(broken).toMatchObject({ decision: "rejected", activate: false });
    expect(broken.reason).toContain("bad file");
  });

  it("reads the policy from a job's origin", () => {
    expect(promotionOf({ type: "api" })).toBeNull();
    expect(promotionOf({ type: "trigger", promotion: { auto: true, margin: 0.01 } })).toEqual({
      auto: true,
      margin: 0.01,
    });
    expect(promotionOf({ type: "schedule", promotion: {} })).toEqual({ auto: false, margin: 0 });
  });
});
