// The series summary of seed 000 and the JSON a store keeps of a verdict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SEED } from '../../test/fixtures.js';
import { concernLifecycles } from '../lifecycle/index.js';
import { readMessages } from './messages.js';
import { claimContexts, checkClaim } from './pipeline.js';
import { findReviewed, summarize } from './summary.js';

test('seed 000: counts by verdict and concern state, confirmed claims first, verdicts survive JSON', async () => {
  const messages = await readMessages([SEED.armPfnValid]);
  const contexts = claimContexts(messages);
  const reviewed = contexts.map(checkClaim);
  const lifecycles = concernLifecycles(messages, contexts.map((c) => ({ claim: c.claim, message: c.message })));
  const s = summarize(reviewed, lifecycles);
  assert.equal(s.claims, reviewed.length);
  assert.equal(Object.values(s.verdicts).reduce((a, b) => a + b, 0), reviewed.length);
  assert.equal(Object.values(s.concerns).reduce((a, b) => a + b, 0), lifecycles.length);
  assert.ok(s.concerns.acknowledged >= 1);
  assert.ok(s.confirmed.some((c) => c.checks.includes('pfn_valid-reads-past-mem_section')));
  const two = s.patches.find((p) => p.index === 2);
  assert.ok(two && two.fail >= 1);
  const will = reviewed.find((r) => r.context.claim.text.startsWith('The case I wondered about'));
  assert.ok(will);
  assert.equal(findReviewed(reviewed, will.context.claim.id), will);
  const stored = JSON.parse(JSON.stringify(will.verdict)) as typeof will.verdict;
  assert.deepEqual(stored, will.verdict);
});
