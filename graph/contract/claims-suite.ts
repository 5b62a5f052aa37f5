// The claims part of the store contract (graph/claims.ts), run against each backend by suite.ts.
// The bundled seeds go in once through the real pipeline (ingest → rethread → derive → claims,
// every verdict computed by running the sparsemem model); the tests then read what the store
// answers. The first backend's answers are kept, and every later backend must answer the same.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ingest, type IngestSummary } from '../../ingest/pipeline.js';
import { deriveClaims } from '../../analysis/derive.js';
import { fromJsonSafe } from '../../analysis/claimRecords.js';
import { rerun, type CheckRun } from '../../analysis/checks/index.js';
import { MODEL_VERSION } from '../../analysis/sparsemem/index.js';
import { SAMPLES_DIR, SEED } from '../../test/fixtures.js';
import type { GraphStore } from '../store.js';
import type { ClaimView } from '../claims.js';
import { compareKeys } from '../order.js';
import { collect } from './testData.js';

export interface ClaimContractOptions {
  reset?(): Promise<void>;
  skip?: string | false;
}

type Open = () => Promise<GraphStore>;

/** What the first backend answered, for the others to match. */
const answers = new Map<string, unknown>();

const WILL = /__pfn_to_section\(\) with a bogus pfn/;

function willsConcern(claims: ClaimView[]): ClaimView {
  const found = claims.filter((c) => WILL.test(c.text) && c.author === 'Will Deacon');
  assert.equal(found.length, 1, `Will Deacon's ordering concern is stored once (found ${found.length})`);
  return found[0];
}

export function defineClaimContract(name: string, open: Open, opts: ClaimContractOptions = {}): void {
  const skip = opts.skip || undefined;
  describe(`ClaimStore contract: ${name}`, { skip }, () => {
    let store: GraphStore;
    let summary: IngestSummary;
    before(async () => {
      if (skip) return;
      if (opts.reset) await opts.reset();
      store = await open();
      summary = await ingest([SAMPLES_DIR], store, { workers: 0 });
    });
    after(async () => {
      await store?.close();
    });

    test('the ingest summary counts what the claims stage stored', async () => {
      assert.ok(summary.claims, 'the claims stage ran');
      const stats = await store.claims.claimStats();
      assert.equal(stats.claims, summary.claims.claims);
      assert.equal(stats.quoted, summary.claims.quoted);
      assert.equal(stats.links, summary.claims.links);
      assert.equal(stats.runs, summary.claims.runs);
      assert.deepEqual(stats.verdicts, summary.claims.verdicts);
      assert.ok(stats.verdicts.confirmed > 0 && stats.verdicts.refuted > 0 && stats.verdicts.unchecked > 0);
    });

    test('claims about pfn_valid come from more than one thread and more than one seed', async () => {
      const claims = await store.claims.claims({ about: 'pfn_valid()' });
      assert.ok(claims.every((c) => c.entities.some((e) => e.name === 'pfn_valid')));
      assert.ok(new Set(claims.map((c) => c.thread)).size > 1);
      const seeds = new Set(claims.map((c) => c.source.path));
      assert.ok(seeds.has(SEED.armPfnValid), 'seed 000');
      assert.ok(seeds.size > 1, `more than one seed: ${[...seeds].join(', ')}`);
      const dates = claims.map((c) => c.date ?? '').filter((d) => d !== '');
      assert.deepEqual(dates, [...dates].sort(), 'oldest first');
    });

    test("Will Deacon's __pfn_to_section() ordering concern: confirmed on V2 2/2, refuted on V3", async () => {
      const will = willsConcern(await store.claims.claims({ about: '__pfn_to_section' }));
      assert.equal(will.verdict, 'confirmed');
      const underReview = will.checks.filter((c) => c.role === 'under-review');
      assert.ok(underReview.length > 0 && underReview.every((c) => /V2 2\/2/.test(c.variant) && c.verdict === 'confirmed'));
      const v3 = will.checks.filter((c) => /^V3/.test(c.variant));
      assert.ok(v3.length > 0 && v3.every((c) => c.role === 'counterfactual' && c.verdict === 'refuted'));
      assert.ok(will.links.length > 0 && will.links.every((l) => l.reasons.length > 0), 'each link keeps its reasons');
      assert.ok(will.series, 'the claim sits in a series');
      // The stored line span points at the sentence in the message body.
      const body = (await store.message(will.msgid))?.body ?? '';
      const span = body.split('\n').slice(will.lines.start, will.lines.end + 1).join(' ');
      assert.match(span, /__pfn_to_section\(\)/);
    });

    test('the libnvdimm locking claims of seed 002 are stored unchecked, with the reason', async () => {
      const locking = (await store.claims.claims()).filter(
        (c) => c.source.path === SEED.danAuthorArchive && c.entities.some((e) => e.kind === 'lock') && /libnvdimm|nvdimm|device_lock/i.test(c.text),
      );
      assert.ok(locking.length > 0);
      for (const c of locking) {
        assert.equal(c.verdict, 'unchecked', c.text);
        assert.deepEqual(c.checks, []);
        assert.match(c.why, /no check/);
      }
    });

    test('checkRuns gives every run behind the verdicts, with trace and model version, and each re-runs to the same result', async () => {
      const will = willsConcern(await store.claims.claims({ about: '__pfn_to_section' }));
      const runs = await store.claims.checkRuns(will.id);
      assert.ok(runs.length >= will.checks.length);
      for (const r of runs) {
        assert.equal(r.modelVersion, MODEL_VERSION);
        assert.equal(r.key, `${r.check}/${r.variant}/${r.paramsHash}`);
        const run = fromJsonSafe<CheckRun>(r.run);
        assert.ok(run.trace.steps.length > 0 && run.executions > 0);
        const again = rerun(run);
        assert.equal(again.verdict, r.verdict);
        assert.equal(again.inputHash, r.inputHash);
      }
      assert.deepEqual(
        [...new Set(runs.map((r) => `${r.check}|${r.label}|${r.variantVerdict}`))].sort(),
        will.checks.map((c) => `${c.name}|${c.variant}|${c.verdict}`).sort(),
      );
    });

    test('symbol() and symbols(): who said what about a symbol, across threads and years', async () => {
      const view = await store.claims.symbol('pfn_valid()');
      assert.ok(view);
      assert.deepEqual(view.claims, await store.claims.claims({ about: 'pfn_valid' }));
      const years = new Set(view.claims.map((c) => c.date?.slice(0, 4)).filter((y) => y));
      assert.ok(years.size > 1, `more than one year: ${[...years].join(', ')}`);
      const all = await store.claims.symbols();
      const entry = all.find((s) => s.name === 'pfn_valid' && s.kind === 'function');
      assert.ok(entry && entry.claims === view.claims.length && entry.threads > 1 && entry.people > 1);
      assert.equal(await store.claims.symbol('no_such_symbol_anywhere'), null);
    });

    test('claim(id) is the claim as listed; filters by kind, message, series and limit', async () => {
      const will = willsConcern(await store.claims.claims({ about: '__pfn_to_section' }));
      assert.deepEqual(await store.claims.claim(will.id), will);
      assert.equal(await store.claims.claim('no-such@claim#0'), null);
      const questions = await store.claims.claims({ kind: 'question' });
      assert.ok(questions.length > 0 && questions.every((c) => c.kind === 'question'));
      const ofMessage = await store.claims.claims({ msgid: will.msgid });
      assert.ok(ofMessage.some((c) => c.id === will.id) && ofMessage.every((c) => c.msgid === will.msgid));
      const inSeries = await store.claims.claims({ series: will.series ?? '' });
      assert.ok(inSeries.some((c) => c.id === will.id) && inSeries.every((c) => c.series === will.series));
      assert.equal((await store.claims.claims({ limit: 3 })).length, 3);
    });

    test('answers the same as the first backend', async () => {
      const snapshot = {
        stats: await store.claims.claimStats(),
        pfnValid: await store.claims.claims({ about: 'pfn_valid' }),
        symbols: await store.claims.symbols(),
        runs: await store.claims.checkRuns(willsConcern(await store.claims.claims({ about: '__pfn_to_section' })).id),
      };
      const first = answers.get('seeds');
      if (first === undefined) answers.set('seeds', snapshot);
      else assert.deepEqual(snapshot, first);
    });

    test('claimBatches and runBatches give back what was written, and writing it again changes nothing', async () => {
      const stats = await store.claims.claimStats();
      const runBatches = await collect(store.claims.runBatches(7));
      assert.ok(runBatches.every((b) => b.length > 0 && b.length <= 7));
      const runs = runBatches.flat();
      assert.equal(runs.length, stats.runs);
      assert.deepEqual(runs.map((r) => r.key), [...new Set(runs.map((r) => r.key))].sort(compareKeys), 'each run once, by key');

      const batches = await collect(store.claims.claimBatches(5));
      assert.ok(batches.every((b) => b.msgids.length > 0 && b.msgids.length <= 5 && b.runs.length === 0));
      const msgids = batches.flatMap((b) => b.msgids);
      assert.deepEqual(msgids, [...new Set(msgids)].sort(compareKeys), 'each message once, by Message-ID');
      const views = new Map((await store.claims.claims()).map((c) => [c.id, c]));
      const claims = batches.flatMap((b) => b.claims);
      assert.equal(claims.length, stats.claims);
      assert.deepEqual(new Set(claims.map((c) => c.id)), new Set(views.keys()));
      for (const c of claims) {
        const v = views.get(c.id);
        assert.ok(v);
        assert.deepEqual(c, Object.fromEntries(Object.keys(c).map((k) => [k, v[k as keyof ClaimView]])), c.id);
      }
      const statuses = batches.flatMap((b) => b.statuses);
      assert.ok(statuses.length > 0);
      assert.deepEqual(
        statuses.map((s) => [s.claimId, s.status, s.why]).sort(),
        [...views.values()].filter((v) => v.status !== null).map((v) => [v.id, v.status, v.statusWhy]).sort(),
      );
      const links = batches.flatMap((b) => b.links);
      assert.equal(links.length, stats.links);
      for (const l of links) {
        assert.ok(views.get(l.claimId)?.links.some((x) => x.check === l.check && x.polarity === l.polarity && JSON.stringify(x.reasons) === JSON.stringify(l.reasons)));
        assert.ok(l.decides.length > 0, `what ${l.check} decides is kept`);
      }
      for (const v of batches.flatMap((b) => b.verdicts)) {
        const view = views.get(v.claimId);
        assert.ok(view?.checks.some((c) => c.name === v.check && c.variant === v.label && c.role === v.role && c.verdict === v.verdict && c.why === v.why));
        assert.ok(runs.some((r) => r.key === v.run));
      }
      assert.equal(new Set(batches.flatMap((b) => b.verdicts).map((v) => v.claimId)).size, [...views.values()].filter((v) => v.checks.length > 0).length);

      const before = { stats, claims: [...views.values()], symbols: await store.claims.symbols() };
      await store.claims.putCheckRuns({ claims: [], links: [], runs, verdicts: [] });
      for (const { statuses: s, ...b } of batches) {
        await store.claims.replaceClaims(b);
        await store.claims.putClaimStatuses(s);
      }
      assert.deepEqual({ stats: await store.claims.claimStats(), claims: await store.claims.claims(), symbols: await store.claims.symbols() }, before);

      // The same rewrite as the claims stage makes it, in bulk between start and finish.
      await store.claims.startExtraction();
      for (const { statuses: s, ...b } of batches) {
        await store.claims.replaceClaims(b);
        await store.claims.putClaimStatuses(s);
      }
      await store.claims.finishExtraction();
      assert.deepEqual({ stats: await store.claims.claimStats(), claims: await store.claims.claims(), symbols: await store.claims.symbols() }, before);
    });

    test('deriving again replaces what was derived, never duplicates', async () => {
      const before = { stats: await store.claims.claimStats(), pfnValid: await store.claims.claims({ about: 'pfn_valid' }) };
      await deriveClaims(store);
      assert.deepEqual({ stats: await store.claims.claimStats(), pfnValid: await store.claims.claims({ about: 'pfn_valid' }) }, before);
    });

    test("replaceClaims of a message with no claims left removes its claims with their links and verdicts; runs stay", async () => {
      const will = willsConcern(await store.claims.claims({ about: '__pfn_to_section' }));
      const before = await store.claims.claimStats();
      const ofMessage = await store.claims.claims({ msgid: will.msgid });
      await store.claims.replaceClaims({ msgids: [will.msgid], claims: [], links: [], runs: [], verdicts: [] });
      assert.deepEqual(await store.claims.claims({ msgid: will.msgid }), []);
      assert.deepEqual(await store.claims.checkRuns(will.id), []);
      const afterStats = await store.claims.claimStats();
      assert.equal(afterStats.claims, before.claims - ofMessage.length);
      assert.equal(afterStats.runs, before.runs);
      await deriveClaims(store);
      assert.deepEqual(await store.claims.claimStats(), before);
    });
  });
}
