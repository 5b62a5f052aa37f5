// Opening a file of an older schema version: version 1 kept the per-message derivations keyed by
// Message-ID; such a file is migrated in place (those tables dropped and made anew, everything
// else kept), and the next ingest derives them again, the same as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SEED, WORK_DIR } from '../../test/fixtures.js';
import { ingest } from '../../ingest/pipeline.js';
import { openSqliteStore } from './store.js';
import { SCHEMA_VERSION, DERIVATION_TABLES } from './schema.js';

const dir = join(WORK_DIR, `sqlite-migrate-${process.pid}`);

test('a version-1 file loses only its per-message derivations when opened, and the next ingest makes them again', async () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'v1.db');
  let store = await openSqliteStore(path);
  await ingest([SEED.armPfnValid], store, { workers: 0, claims: false });
  const threads = await store.threads();
  const stats = await store.patches.patchStats();
  const derivations = (await (async () => {
    const out = [];
    for await (const b of store.patches.derivationBatches(50)) out.push(...b);
    return out;
  })());
  assert.ok(stats.derivedMessages > 0 && stats.hunks > 0 && stats.quotes > 0);

  // Make it look like version 1: the derived tables in their Message-ID-keyed shape.
  for (const t of DERIVATION_TABLES) store.db.exec(`DROP TABLE ${t}`);
  store.db.exec(`CREATE TABLE derived_messages (msgid TEXT PRIMARY KEY, segments_json TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE quotes (msgid TEXT NOT NULL, quoted TEXT NOT NULL, start_line INTEGER NOT NULL, PRIMARY KEY (msgid, start_line)) WITHOUT ROWID;
    CREATE TABLE hunks (msgid TEXT NOT NULL, kind TEXT NOT NULL, idx INTEGER NOT NULL, PRIMARY KEY (msgid, kind, idx)) WITHOUT ROWID;
    CREATE TABLE message_trailers (msgid TEXT NOT NULL, line INTEGER NOT NULL, PRIMARY KEY (msgid, line)) WITHOUT ROWID;
    CREATE TABLE hunk_comments (msgid TEXT NOT NULL, quoted_from INTEGER NOT NULL, PRIMARY KEY (msgid, quoted_from)) WITHOUT ROWID;
    INSERT INTO derived_messages VALUES ('x@example.org', '[]');
    UPDATE meta SET value = '1' WHERE key = 'schema_version';`);
  await store.close();

  store = await openSqliteStore(path);
  try {
    assert.equal(store.db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).pluck().get(), String(SCHEMA_VERSION));
    const columns = store.db.prepare(`SELECT name FROM pragma_table_info('hunks')`).pluck().all();
    assert.ok(columns.includes('message_id'), 'the derived tables have their version-2 shape');
    assert.deepEqual(await store.threads(), threads, 'messages and threads are kept');
    const after = await store.patches.patchStats();
    assert.equal(after.derivedMessages, 0);
    assert.equal(after.series, stats.series, 'the series graph is kept');

    const again = await ingest([SEED.armPfnValid], store, { workers: 0, claims: false });
    assert.equal(again.inserted, 0);
    assert.deepEqual(await store.patches.patchStats(), stats);
    const rederived = [];
    for await (const b of store.patches.derivationBatches(50)) rederived.push(...b);
    assert.deepEqual(rederived, derivations);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a claims table keyed by claim id (WITHOUT ROWID) is dropped with its edges when opened, and the next ingest extracts the same claims', async () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'claims-v1.db');
  let store = await openSqliteStore(path);
  await ingest([SEED.armPfnValid], store, { workers: 0 });
  const claims = await store.claims.claims({});
  const stats = await store.claims.claimStats();
  assert.ok(stats.claims > 0 && stats.links > 0, 'the seed has claims linked to checks');
  // The older shape: the same columns, keyed by the id.
  const sql = store.db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'claims'`).pluck().get() as string;
  store.db.exec(`DROP TABLE claims; ${sql.replace(/id\s+TEXT NOT NULL UNIQUE/, 'id TEXT PRIMARY KEY').replace(/\)\s*$/, ') WITHOUT ROWID')}`);
  await store.close();

  store = await openSqliteStore(path);
  try {
    const shape = store.db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'claims'`).pluck().get() as string;
    assert.doesNotMatch(shape, /WITHOUT ROWID/);
    assert.equal((await store.claims.claimStats()).claims, 0);
    assert.equal(store.db.prepare(`SELECT count(*) FROM check_links`).pluck().get(), 0, 'the edges went with the claims');
    await ingest([SEED.armPfnValid], store, { workers: 0 });
    assert.deepEqual(await store.claims.claims({}), claims);
    assert.deepEqual(await store.claims.claimStats(), stats);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
