import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PEERS_DIR, ROOT } from '../../test/fixtures.js';
import type { Message } from '../model.js';
import { MboxSplitter } from '../sources/mboxSplitter.js';
import { parseRfc822 } from '../parse/rfc822.js';
import { handle as deriveTask, type MessageTask, type MessageTaskResult } from '../derive/messageTask.js';
import { unpackDigest } from '../derive/digest.js';

/** A derive result with its digest unpacked: the packed bytes of one digest may differ between
 * threads (V8 may write the same array as dense in one and as sparse in the other). */
const unpacked = (rs: MessageTaskResult[]): unknown[] => rs.map((r) => ({ ...r, digest: unpackDigest(r.digest) }));
import { handle as claimTask, type ClaimTask, type ClaimTaskResult } from '../../analysis/claimTask.js';
import { createTaskPool } from './taskPool.js';

async function messages(rel: string): Promise<Message[]> {
  const s = new MboxSplitter();
  const out: Message[] = [];
  for (const [i, m] of [...s.push(readFileSync(resolve(PEERS_DIR, rel))), ...s.end()].entries()) {
    out.push(await parseRfc822(m.bytes, { source: rel, format: 'mbox', offset: i }));
  }
  return out;
}

// Real review threads with patches, quoted hunks and replies.
const corpus = [
  ...(await messages('lfdr-list-archives/lakml-gic-v3-its-disabled-irq-2020.mbox')),
  ...(await messages('lfdr-list-archives/kvmarm-pmu-disabled-counters-2021.mbox')),
];

describe('task pool', () => {
  test('derive tasks in two worker threads give exactly what the calling thread gives', async () => {
    const byId = new Map(corpus.map((m) => [m.msgid, m]));
    const tasks: MessageTask[] = corpus.map((m) => {
      const ancestors = m.inReplyTo && byId.has(m.inReplyTo) ? [m.inReplyTo] : [];
      return { message: m, ancestors, authors: ancestors.map((a) => [a, { name: byId.get(a)!.from.name, address: byId.get(a)!.from.address }]) };
    });
    const pool = createTaskPool<MessageTask, MessageTaskResult>({ from: import.meta.url, handler: '../derive/messageTask', local: deriveTask, workers: 2, maxInFlight: 5 });
    assert.equal(pool.workers, 2);
    try {
      const viaPool = await Promise.all(tasks.map((t) => pool.run(t)));
      assert.deepEqual(unpacked(viaPool), unpacked(tasks.map(deriveTask)));
      assert.ok(viaPool.some((r) => r.derivation.hunks.some((h) => h.kind === 'patch')), 'the corpus carries patches');
      assert.ok(viaPool.some((r) => r.derivation.quotes.length > 0), 'and replies quoting them');
      assert.equal(pool.deaths(), 0);
    } finally {
      await pool.close();
    }
  });

  test('claim tasks in a worker give what the calling thread gives, own text and quoted', async () => {
    const tasks: ClaimTask[] = corpus.flatMap((m) => [false, true].map((includeQuoted) => ({ msgid: m.msgid, body: m.body, includeQuoted })));
    const pool = createTaskPool<ClaimTask, ClaimTaskResult>({ from: import.meta.url, handler: '../../analysis/claimTask', local: claimTask, workers: 1 });
    try {
      const viaPool = await Promise.all(tasks.map((t) => pool.run(t)));
      assert.deepEqual(viaPool, tasks.map(claimTask));
      assert.ok(viaPool.reduce((n, r) => n + r.claims.length, 0) > 20);
    } finally {
      await pool.close();
    }
  });

  test('a worker that runs out of memory loses nothing: its requests run on the calling thread', async () => {
    // A heap this small cannot even load the handler's modules, so every worker dies; after the
    // respawn limit the calling thread does all the work.
    const pool = createTaskPool<ClaimTask, ClaimTaskResult>({ from: import.meta.url, handler: '../../analysis/claimTask', local: claimTask, workers: 1, heapMb: 2 });
    try {
      const tasks = corpus.slice(0, 6).map((m) => ({ msgid: m.msgid, body: m.body, includeQuoted: false }));
      const viaPool = await Promise.all(tasks.map((t) => pool.run(t)));
      assert.deepEqual(viaPool, tasks.map(claimTask));
      assert.ok(pool.deaths() >= 1, 'the worker died');
    } finally {
      await pool.close();
    }
  });

  // The installed CLI runs from dist/: there the pool must find host.js and the handler's .js
  // (a worker that cannot load them dies and its work silently moves to the main thread).
  const compiled = resolve(ROOT, 'dist/ingest/workers/taskPool.js');
  test('from dist/ the workers load the compiled host and handler and none dies', { skip: existsSync(compiled) ? false : 'dist/ not built (npm run build)' }, async () => {
    type PoolModule = typeof import('./taskPool.js');
    const dist = (await import(compiled)) as PoolModule;
    const from = new URL('../derive/x.js', `file://${compiled}`).href;
    const pool = dist.createTaskPool<MessageTask, MessageTaskResult>({ from, handler: './messageTask', local: deriveTask, workers: 2 });
    try {
      const tasks: MessageTask[] = corpus.slice(0, 20).map((m) => ({ message: m, ancestors: [], authors: [] }));
      assert.deepEqual(unpacked(await Promise.all(tasks.map((t) => pool.run(t)))), unpacked(tasks.map(deriveTask)));
      assert.equal(pool.deaths(), 0);
    } finally {
      await pool.close();
    }
  });

  test('workers: 0 runs on the calling thread', async () => {
    const pool = createTaskPool<ClaimTask, ClaimTaskResult>({ from: import.meta.url, handler: '../../analysis/claimTask', local: claimTask, workers: 0 });
    assert.equal(pool.workers, 0);
    const t: ClaimTask = { msgid: corpus[1].msgid, body: corpus[1].body, includeQuoted: true };
    assert.deepEqual(await pool.run(t), claimTask(t));
    await pool.close();
  });
});
