// Exporting the embedded store into a real Neo4j, including an export killed (SIGKILL) half-way
// and run again: Neo4j must end up complete, with whole batches only and no duplicates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT, WORK_DIR } from '../../test/fixtures.js';
import { openSqliteStore } from '../sqlite/store.js';
import type { GraphStore } from '../store.js';
import { collect, realMessages, variedMessages } from '../contract/testData.js';
import { ingestInto } from '../contract/suite.js';
import { exportToNeo4j } from './export.js';
import { neo4jConfig, openNeo4jStore } from './store.js';
import { claimTestDatabase } from './testDatabase.js';

const claim = await claimTestDatabase();
const skip = claim.ok ? undefined : `Neo4j export tests skipped: ${claim.reason} — run \`npm run neo4j\` or set NEO4J_URI`;
if (skip && process.env.CI === 'true') {
  test('Neo4j export tests: a Neo4j server must answer under CI', () => {
    assert.fail(`no usable Neo4j at ${neo4jConfig().uri} under CI=true: ${skip}`);
  });
} else if (skip) console.log(skip);

const COPIES = 100;
const BATCH = 50;

async function buildSource(): Promise<{ path: string; total: number }> {
  const dir = join(WORK_DIR, `export-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'source.db');
  const store = await openSqliteStore(path);
  try {
    const messages = variedMessages(await realMessages(), COPIES);
    // Some messages arrive twice, from a second archive: their second source must be exported too.
    const again = messages.slice(0, 40).map((m) => ({ ...m, provenance: { ...m.provenance, source: '/mirror/again.mbox', offset: 7 } }));
    await ingestInto(store, [...messages.filter((_, i) => i % 34 !== 0), ...again]);
    await store.putMessages(messages.filter((_, i) => i % 34 === 0).slice(0, 50));
    await store.putArchive({
      source: '/mirror/again.mbox', format: 'mbox', bytes: 4096, messages: 40, duplicates: 40, skipped: 1, truncated: false,
      ingestedAt: '2026-11-21T10:00:00.000Z',
    });
    await store.putSkips([{ source: '/mirror/again.mbox', offset: 100, reason: 'no headers' }]);
    return { path, total: (await store.stats()).messages };
  } finally {
    await store.close();
  }
}

/** Runs `loregraph export` in a child process and SIGKILLs it once it reports batch `killAfter`. */
function exportAndKill(
  db: string,
  killAfter: number,
): Promise<{ signal: NodeJS.Signals | null; lines: string[]; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli.ts', 'export', '--db', db, '--batch', String(BATCH)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    // Progress lines (`batch N: …`) go to stderr; the result goes to stdout.
    createInterface({ input: child.stderr }).on('line', (line) => {
      lines.push(line);
      if (line.startsWith(`batch ${killAfter}:`)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ signal, lines, stdout }));
  });
}

async function assertSameContent(source: GraphStore, target: GraphStore): Promise<void> {
  assert.deepEqual(await target.stats(), await source.stats());
  const sourceMessages = await collect(source.allMessages());
  const targetMessages = await collect(target.allMessages());
  assert.deepEqual(targetMessages.map((m) => m.msgid), sourceMessages.map((m) => m.msgid));
  for (let i = 0; i < sourceMessages.length; i += 97) assert.deepEqual(targetMessages[i], sourceMessages[i]);
  for (const i of [0, 1, 33, sourceMessages.length - 1]) {
    assert.deepEqual(await target.message(sourceMessages[i].msgid), await source.message(sourceMessages[i].msgid));
  }
  assert.deepEqual(await collect(target.allThreadAssignments()), await collect(source.allThreadAssignments()));
  assert.deepEqual(await target.archives(), await source.archives());
  assert.deepEqual(await target.skips(), await source.skips());
  const probe = sourceMessages[40].msgid;
  assert.deepEqual(await target.thread(probe), await source.thread(probe));
  assert.deepEqual(await target.threads({ limit: 10 }), await source.threads({ limit: 10 }));
}

test('an export killed with SIGKILL after a few batches is completed by a re-run, without duplicates', { skip, timeout: 300_000 }, async () => {
  if (!claim.ok) return;
  await claim.reset();
  const { path, total } = await buildSource();
  const killed = await exportAndKill(path, 3);
  assert.equal(killed.signal, 'SIGKILL', `the export was killed (output: ${killed.lines.slice(-3).join(' | ')})`);
  assert.ok(!/exported/.test(killed.stdout), 'the killed export did not finish');

  const source = await openSqliteStore(path);
  const target = await openNeo4jStore();
  try {
    const partial = (await target.stats()).messages;
    assert.ok(partial >= 3 * BATCH && partial < total, `partial export holds ${partial} of ${total} messages`);
    assert.equal(partial % BATCH, 0, 'only whole batches were committed');
    assert.equal((await target.stats()).threads, 0, 'the forest is written after the messages');

    const rerun = await exportToNeo4j(source, target, { batchSize: 500 });
    assert.equal(rerun.messages, total);
    assert.equal(rerun.inserted, total - partial);
    await assertSameContent(source, target);

    const third = await exportToNeo4j(source, target, { batchSize: 200 });
    assert.equal(third.inserted, 0, 'running it again changes nothing');
    await assertSameContent(source, target);
  } finally {
    await source.close();
    await target.close();
  }
});
