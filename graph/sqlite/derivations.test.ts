// The derive and claims stages' bulk loads on the embedded store: between startDerivations and
// finishDerivations (startExtraction and finishExtraction) the per-message tables (the claim
// tables) are empty and without their secondary indexes; the finish builds the indexes, and a file
// left between the two (a killed run) gets them back when it is opened, so the lookups by function,
// path, quoted message, symbol and series never stay slow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SEED, WORK_DIR } from '../../test/fixtures.js';
import { ingest } from '../../ingest/pipeline.js';
import { openSqliteStore, type SqliteStore } from './store.js';
import { DERIVATION_INDEXES, EXTRACTION_INDEXES } from './schema.js';

const dir = join(WORK_DIR, `sqlite-derivations-${process.pid}`);

/** A fresh file in the scratch directory. */
function freshPath(name: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/** Which of `wanted` exist as indexes in the store's file, sorted. */
function indexesOf(store: SqliteStore, wanted: readonly { name: string }[]): string[] {
  return (store.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name IN (SELECT value FROM json_each(?))`).pluck().all(
    JSON.stringify(wanted.map((i) => i.name)),
  ) as string[]).sort();
}

test('startDerivations empties the per-message tables and drops their indexes; finish, or the next open, builds them again', async () => {
  const path = freshPath('store.db');
  let store = await openSqliteStore(path);
  const indexes = (): string[] => indexesOf(store, DERIVATION_INDEXES);
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

test('startExtraction empties the claim tables and drops their indexes, runs stay; finish, or the next open, builds them again', async () => {
  const path = freshPath('claims.db');
  let store = await openSqliteStore(path);
  const indexes = (): string[] => indexesOf(store, EXTRACTION_INDEXES);
  const all = EXTRACTION_INDEXES.map((i) => i.name).sort();
  try {
    await ingest([SEED.armPfnValid], store, { workers: 0 });
    assert.deepEqual(indexes(), all, 'an ingest ends with every index');
    const stats = await store.claims.claimStats();
    const aboutPfnValid = await store.claims.claims({ about: 'pfn_valid' });
    assert.ok(stats.claims > 0 && stats.links > 0 && stats.runs > 0 && aboutPfnValid.length > 0);
    const plan = store.db.prepare(`EXPLAIN QUERY PLAN SELECT claim_id FROM claim_symbols WHERE name = ?`).all('pfn_valid') as { detail: string }[];
    assert.ok(plan.some((p) => p.detail.includes('claim_symbols_name')), JSON.stringify(plan));

    await store.claims.startExtraction();
    assert.deepEqual(indexes(), []);
    const empty = await store.claims.claimStats();
    assert.equal(empty.claims + empty.links, 0);
    assert.equal(empty.runs, stats.runs, 'runs are keyed by what was run, not by the claim');
    await store.close();

    // Killed between the two: the next open restores the indexes; the next ingest the claims.
    store = await openSqliteStore(path);
    assert.deepEqual(indexes(), all);
    await ingest([SEED.armPfnValid], store, { workers: 0 });
    assert.deepEqual(await store.claims.claimStats(), stats);
    assert.deepEqual(await store.claims.claims({ about: 'pfn_valid' }), aboutPfnValid);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
