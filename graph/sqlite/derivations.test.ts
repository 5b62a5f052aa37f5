// The derive stage's bulk load on the embedded store: between startDerivations and
// finishDerivations the per-message tables are empty and without their secondary indexes; the
// finish builds the indexes, and a file left between the two (a killed run) gets them back when
// it is opened, so the lookups by function, path and quoted message never stay slow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SEED, WORK_DIR } from '../../test/fixtures.js';
import { ingest } from '../../ingest/pipeline.js';
import { openSqliteStore } from './store.js';
import { DERIVATION_INDEXES } from './schema.js';

const dir = join(WORK_DIR, `sqlite-derivations-${process.pid}`);

test('startDerivations empties the per-message tables and drops their indexes; finish, or the next open, builds them again', async () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'store.db');
  let store = await openSqliteStore(path);
  const indexes = (): string[] =>
    (store.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name IN (SELECT value FROM json_each(?))`).pluck().all(
      JSON.stringify(DERIVATION_INDEXES.map((i) => i.name)),
    ) as string[]).sort();
  const all = DERIVATION_INDEXES.map((i) => i.name).sort();
  try {
    await ingest([SEED.armPfnValid], store, { workers: 0, claims: false });
    assert.deepEqual(indexes(), all, 'an ingest ends with every index');
    const stats = await store.patches.patchStats();
    assert.ok(stats.hunks > 0 && stats.quotes > 0);
    const plan = store.db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM hunks WHERE function_name = ?`).all('pfn_valid') as { detail: string }[];
    assert.ok(plan.some((p) => p.detail.includes('hunks_function')), JSON.stringify(plan));

    await store.patches.startDerivations();
    assert.deepEqual(indexes(), []);
    const empty = await store.patches.patchStats();
    assert.equal(empty.derivedMessages + empty.hunks + empty.quotes + empty.comments, 0);
    assert.equal(empty.series, stats.series, 'the series graph is not per message');
    await store.close();

    // Killed between the two: the next open restores the indexes; the next ingest the rows.
    store = await openSqliteStore(path);
    assert.deepEqual(indexes(), all);
    await ingest([SEED.armPfnValid], store, { workers: 0, claims: false });
    assert.deepEqual(await store.patches.patchStats(), stats);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
