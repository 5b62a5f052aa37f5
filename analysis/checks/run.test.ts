// Runs reproduce: a recorded run re-run from its own inputs gives the same run (verdict, outcome,
// exploration, trace, input hash); changing the code or the bounds changes the hash and can change
// the verdict. Every verdict below comes from a claim extracted from a seed and linked by the linker.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SEED } from '../../test/fixtures.js';
import { readMessages } from './messages.js';
import { reviewMessages, type ReviewedClaim } from './pipeline.js';
import { rerun } from './run.js';
import type { CheckRun } from './types.js';

const seed000 = readMessages([SEED.armPfnValid]).then((ms) => reviewMessages(ms));

async function runsOf(text: string): Promise<CheckRun[]> {
  const r: ReviewedClaim | undefined = (await seed000).find((x) => x.context.claim.text.includes(text));
  assert.ok(r, text);
  return r.verdict.checks.flatMap((c) => c.variants.flatMap((v) => v.runs));
}

describe('re-running a verdict reproduces it', () => {
  test("every run behind Will Deacon's concern re-runs to the same run, hash included", async () => {
    const runs = await runsOf('with patch 2/2 we call that *before* checking');
    assert.equal(runs.length, 3);
    for (const run of runs) assert.deepEqual(rerun(run), run, run.label);
    assert.equal(new Set(runs.map((r) => r.inputHash)).size, 3, 'different code, different hash');
    for (const run of runs) assert.match(run.inputHash, /^[0-9a-f]{64}$/);
  });

  test("the invariant run (6561 sequences) re-runs to the same run", async () => {
    const [run] = await runsOf('Only hotplugged sections (DIMMs, dax/kmem)');
    const again = rerun(run);
    assert.deepEqual(again, run);
    assert.equal(run.modelVersion, again.modelVersion);
    assert.ok(run.stepsExplored > 0);
  });

  test('the same claim on v5.2 (no SECTION_IS_EARLY yet) is refuted, with the counterexample as trace', async () => {
    const [run] = await runsOf('Only hotplugged sections (DIMMs, dax/kmem)');
    const v52 = rerun({ ...run, kernel: 'v5.2', params: { ...run.params, depth: 1 } });
    assert.equal(v52.verdict, 'refuted');
    assert.equal(v52.trace.kind, 'witness');
    assert.equal(v52.trace.observations['invariant.hotplugged-if-not-early'], false);
    assert.notEqual(v52.inputHash, run.inputHash);
  });

  test('cut off by its bounds, the invariant run is inconclusive, not confirmed', async () => {
    const [run] = await runsOf('Only hotplugged sections (DIMMs, dax/kmem)');
    const bounded = rerun({ ...run, bounds: { ...run.bounds, maxExecutions: 100 } });
    assert.equal(bounded.exhaustive, false);
    assert.equal(bounded.observed, 'never');
    assert.equal(bounded.verdict, 'inconclusive');
    assert.match(bounded.why, /not exhaustive/);
    assert.notEqual(bounded.inputHash, run.inputHash);
  });
});
