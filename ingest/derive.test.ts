// The derive and claims stages give the same store whether their per-message work runs on the
// calling thread or in worker threads (ingest/workers/taskPool.ts): real seeds and a real review
// thread of the peer corpus, ingested once per setting.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { PEERS_DIR, SAMPLES_DIR, WORK_DIR } from '../test/fixtures.js';
import { openSqliteStore, type SqliteStore } from '../graph/sqlite/store.js';
import { ingest } from './pipeline.js';

const dir = resolve(WORK_DIR, 'derive-workers');
const inputs = [SAMPLES_DIR, resolve(PEERS_DIR, 'lfdr-list-archives/lakml-gic-v3-its-disabled-irq-2020.mbox')];

async function ingestWith(workers: number): Promise<SqliteStore> {
  const p = resolve(dir, `w${workers}.db`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(p + suffix, { force: true });
  const store = await openSqliteStore(p);
  await ingest(inputs, store, { workers });
  return store;
}

describe('derive and claims in worker threads', () => {
  let inThread: SqliteStore;
  let inWorkers: SqliteStore;
  before(async () => {
    mkdirSync(dir, { recursive: true });
    inThread = await ingestWith(0);
    inWorkers = await ingestWith(2);
  });
  after(async () => {
    await inThread.close();
    await inWorkers.close();
  });

  test('the same patch graph', async () => {
    const stats = await inThread.patches.patchStats();
    assert.ok(stats.hunks > 100 && stats.series > 20, 'a real patch graph');
    assert.deepEqual(await inWorkers.patches.patchStats(), stats);
    assert.deepEqual(await inWorkers.patches.series(), await inThread.patches.series());
    assert.deepEqual(await inWorkers.patches.hunks({ function: 'pfn_valid' }), await inThread.patches.hunks({ function: 'pfn_valid' }));
  });

  test('the same claims, links and verdicts', async () => {
    const claims = await inThread.claims.claims();
    assert.ok(claims.length > 500);
    assert.ok(claims.some((c) => c.checks.some((k) => k.verdict === 'confirmed')), 'checks ran');
    assert.deepEqual(await inWorkers.claims.claims(), claims);
    assert.deepEqual(await inWorkers.claims.claimStats(), await inThread.claims.claimStats());
  });
});
