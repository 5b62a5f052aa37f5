// Exporting the embedded store — the seeds ingested by the real pipeline, with the patch graph and
// the claims — into another store: every view must come out the same, a second export must change
// nothing, and an export killed (SIGKILL) in any phase must be completed by running it again,
// with whole batches only and no duplicates.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT, SAMPLES_DIR, WORK_DIR } from '../../test/fixtures.js';
import { ingest } from '../../ingest/pipeline.js';
import { openSqliteStore, type SqliteStore } from '../sqlite/store.js';
import { assertSameViews, storeViews, type StoreViews } from '../contract/views.js';
import { exportToNeo4j } from './export.js';
import { neo4jConfig, openNeo4jStore, type Neo4jStore } from './store.js';
import { claimTestDatabase } from './testDatabase.js';

const claim = await claimTestDatabase();
const skip = claim.ok ? undefined : `Neo4j export tests skipped: ${claim.reason} — run \`npm run neo4j\` or set NEO4J_URI`;
if (skip && process.env.CI === 'true') {
  test('Neo4j export tests: a Neo4j server must answer under CI', () => {
    assert.fail(`no usable Neo4j at ${neo4jConfig().uri} under CI=true: ${skip}`);
  });
} else if (skip) console.log(skip);

/** Messages (or derivations, comments, claims) per transaction in the killed exports. */
const BATCH = 10;
const DIR = join(WORK_DIR, `export-${process.pid}`);
let sourcePath = '';
let sourceViews: StoreViews;

/** The seeds through the real pipeline (threads, patch graph, claims), some arriving a second time from another archive. */
async function buildSource(): Promise<string> {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const path = join(DIR, 'source.db');
  const store = await openSqliteStore(path);
  try {
    const summary = await ingest([SAMPLES_DIR], store, { workers: 0 });
    assert.ok(summary.derived && summary.claims, 'derive and claims ran');
    const again = [];
    for await (const m of store.allMessages()) {
      const { sources: _sources, ...message } = m;
      if (again.length < 15) again.push({ ...message, provenance: { source: '/mirror/again.mbox', format: 'mbox' as const, offset: 7 * again.length } });
    }
    await store.putMessages(again);
    await store.putArchive({
      source: '/mirror/again.mbox', format: 'mbox', bytes: 4096, messages: again.length, duplicates: again.length, skipped: 1, truncated: false,
      ingestedAt: '2026-11-21T10:00:00.000Z',
    });
    await store.putSkips([{ source: '/mirror/again.mbox', offset: 100, reason: 'no headers' }]);
  } finally {
    await store.close();
  }
  return path;
}

before(async () => {
  sourcePath = await buildSource();
  const source = await openSqliteStore(sourcePath);
  try {
    sourceViews = await storeViews(source);
  } finally {
    await source.close();
  }
});

async function withSource<T>(fn: (source: SqliteStore) => Promise<T>): Promise<T> {
  const source = await openSqliteStore(sourcePath);
  try {
    return await fn(source);
  } finally {
    await source.close();
  }
}

/** Rows of every table of an embedded store. */
function tableCounts(store: SqliteStore): Record<string, number> {
  const tables = store.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'message_fts%'`).pluck().all() as string[];
  return Object.fromEntries(tables.sort().map((t) => [t, store.db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number]));
}

/** Nodes per label and relationships per type (the test database's marker left out). */
async function graphCounts(store: Neo4jStore): Promise<Record<string, number>> {
  return store.conn.read(async (tx) => {
    const out: Record<string, number> = {};
    const nodes = await tx.run(`MATCH (n) WHERE NOT n:LoregraphTestDatabase UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label`);
    for (const r of nodes.records) out[`(:${r.get('label') as string})`] = r.get('n') as number;
    const rels = await tx.run(`MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type`);
    for (const r of rels.records) out[`[:${r.get('type') as string}]`] = r.get('n') as number;
    return out;
  });
}

test('export into a second embedded store: every view answers the same; a second export changes nothing', { timeout: 300_000 }, async () => {
  await withSource(async (source) => {
    const target = await openSqliteStore(join(DIR, 'copy.db'));
    try {
      const result = await exportToNeo4j(source, target, { batchSize: 25 });
      assert.ok(result.derivations > 0 && result.comments > 0 && result.series > 0 && result.claims > 0 && result.statuses > 0 && result.runs > 0);
      assertSameViews(await storeViews(target), sourceViews);
      const counts = tableCounts(target);
      assert.deepEqual(counts, tableCounts(source));
      await exportToNeo4j(source, target, { batchSize: 7 });
      assert.deepEqual(tableCounts(target), counts);
      assertSameViews(await storeViews(target), sourceViews);
    } finally {
      await target.close();
    }
  });
});

/** Runs `loregraph export` in a child process and SIGKILLs it once it reports `killAt` (a progress line prefix). */
function exportAndKill(db: string, killAt: string): Promise<{ signal: NodeJS.Signals | null; lines: string[]; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli.ts', 'export', '--db', db, '--batch', String(BATCH)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    // Progress lines (`batch N: …`, `derivations batch N: …`) go to stderr; the result goes to stdout.
    createInterface({ input: child.stderr }).on('line', (line) => {
      lines.push(line);
      if (line.startsWith(killAt)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ signal, lines, stdout }));
  });
}

async function killedAt(killAt: string): Promise<void> {
  const killed = await exportAndKill(sourcePath, killAt);
  assert.equal(killed.signal, 'SIGKILL', `the export was killed at '${killAt}' (output: ${killed.lines.slice(-3).join(' | ')})`);
  assert.ok(!/exported/.test(killed.stdout), 'the killed export did not finish');
}

test('export into Neo4j: the same views as the embedded source; killed in any phase, a re-run completes it without duplicates', { skip, timeout: 600_000 }, async () => {
  if (!claim.ok) return;
  const total = (sourceViews.get('stats') as { messages: number }).messages;
  const patchStats = sourceViews.get('patchStats') as { derivedMessages: number };
  const claimStats = sourceViews.get('claimStats') as { claims: number };

  // A clean export: what a complete Neo4j holds.
  await claim.reset();
  const clean = await withSource(async (source) => {
    const target = await openNeo4jStore();
    try {
      await exportToNeo4j(source, target);
      assertSameViews(await storeViews(target), sourceViews);
      return await graphCounts(target);
    } finally {
      await target.close();
    }
  });

  // Killed while copying messages, then while copying derivations, then claims; then finished.
  await claim.reset();
  await killedAt('batch 3:');
  let target = await openNeo4jStore();
  try {
    const partial = (await target.stats()).messages;
    assert.ok(partial >= 3 * BATCH && partial < total, `partial export holds ${partial} of ${total} messages`);
    assert.equal(partial % BATCH, 0, 'only whole batches were committed');
    assert.equal((await target.stats()).threads, 0, 'the forest is written after the messages');
  } finally {
    await target.close();
  }
  await killedAt('derivations batch 2:');
  target = await openNeo4jStore();
  try {
    assert.equal((await target.stats()).messages, total, 'the re-run finished the messages');
    const derived = (await target.patches.patchStats()).derivedMessages;
    assert.ok(derived >= 2 * BATCH && derived < patchStats.derivedMessages, `partial derivations: ${derived} of ${patchStats.derivedMessages}`);
    assert.equal((await target.claims.claimStats()).claims, 0, 'claims come last');
  } finally {
    await target.close();
  }
  await killedAt('claims batch 2:');
  target = await openNeo4jStore();
  try {
    assert.equal((await target.patches.patchStats()).derivedMessages, patchStats.derivedMessages, 'the re-run finished the patch graph');
    const claims = (await target.claims.claimStats()).claims;
    assert.ok(claims > 0 && claims < claimStats.claims, `partial claims: ${claims} of ${claimStats.claims}`);

    const rerun = await withSource((source) => exportToNeo4j(source, target));
    assert.equal(rerun.messages, total);
    assert.equal(rerun.inserted, 0, 'every message was already there');
    assertSameViews(await storeViews(target), sourceViews);
    assert.deepEqual(await graphCounts(target), clean, 'the same nodes and relationships as a clean export: no duplicates');

    await withSource((source) => exportToNeo4j(source, target, { batchSize: 7 }));
    assert.deepEqual(await graphCounts(target), clean, 'running it again changes nothing');
    assertSameViews(await storeViews(target), sourceViews);
  } finally {
    await target.close();
  }
});
