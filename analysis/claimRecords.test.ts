// The claims stage's records on the seeds: sharing runs between claims with the same plan gives
// exactly the verdicts running each claim alone gives, run keys name the same run the same way,
// and a run survives the store's JSON form (bigints included) unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claimContexts, linkClaim, readMessages, verdictFor } from './checks/index.js';
import { fromJsonSafe, runKey, toJsonSafe, VerdictCache, verdictRecords } from './claimRecords.js';
import { SEED } from '../test/fixtures.js';

const reviewed = (async () => {
  const messages = await readMessages([SEED.armPfnValid, SEED.lkmlZoneDeviceInit, SEED.flatRfc822]);
  return claimContexts(messages, { includeQuoted: true }).map((ctx) => ({ ctx, link: linkClaim(ctx) })).filter((r) => r.link.links.length > 0);
})();

test('shared runs give each claim the verdict its own runs give', async () => {
  const all = await reviewed;
  assert.ok(all.length > 5);
  const cache = new VerdictCache();
  for (const { ctx, link } of all) assert.deepEqual(cache.verdict(ctx, link), verdictFor(ctx, link), ctx.claim.id);
  assert.ok(cache.hits > 0, 'the same plan (a claim quoted in several replies) is run once');
  assert.equal(cache.hits + cache.misses, all.length);
});

test('run keys: check/variant/params hash, the same for the same run, different for different inputs', async () => {
  const cache = new VerdictCache();
  const byKey = new Map<string, string>();
  for (const { ctx, link } of await reviewed) {
    const recs = verdictRecords(link, cache.verdict(ctx, link));
    assert.equal(recs.links.length, link.links.length);
    for (const r of recs.runs) {
      assert.equal(r.key, `${r.check}/${r.variant}/${r.paramsHash}`);
      const seen = byKey.get(r.key);
      if (seen) assert.equal(seen, r.inputHash, 'one key, one set of inputs');
      byKey.set(r.key, r.inputHash);
    }
    for (const v of recs.verdicts) assert.ok(recs.runs.some((r) => r.key === v.run));
  }
  assert.equal(new Set(byKey.values()).size, byKey.size, 'different inputs, different keys');
});

test('a run comes back from its stored JSON unchanged, bigints included', async () => {
  const cache = new VerdictCache();
  for (const { ctx, link } of await reviewed) {
    for (const c of cache.verdict(ctx, link).checks) {
      for (const v of c.variants) {
        for (const run of v.runs) {
          const back = fromJsonSafe<typeof run>(JSON.parse(JSON.stringify(toJsonSafe(run))));
          assert.deepEqual(back, run);
          assert.equal(runKey(back).key, runKey(run).key);
        }
      }
    }
  }
  assert.deepEqual(fromJsonSafe(toJsonSafe({ pfn: 0x1000000000n, n: 3 })), { pfn: 0x1000000000n, n: 3 });
});
