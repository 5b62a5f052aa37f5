import { after, before, describe, test } from 'node:test';
import { availableParallelism } from 'node:os';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { PEERS_DIR, ROOT, SAMPLES_DIR, SEED, WORK_DIR } from '../test/fixtures.js';
import { openSqliteStore, type SqliteStore } from '../graph/sqlite/store.js';
import { ingest, parsePlan } from './pipeline.js';

const dir = resolve(WORK_DIR, 'pipeline');
const LFDR = resolve(PEERS_DIR, 'lfdr-list-archives');
const KVMARM = resolve(LFDR, 'kvmarm-pmu-disabled-counters-2021.mbox');

function freshDb(name: string): string {
  const p = resolve(dir, name);
  for (const suffix of ['', '-wal', '-shm']) rmSync(p + suffix, { force: true });
  return p;
}

before(() => mkdirSync(dir, { recursive: true }));

describe('ingesting the bundled samples', () => {
  let store: SqliteStore;
  before(async () => {
    store = await openSqliteStore(freshDb('samples.db'));
  });
  after(async () => store.close());

  test('every seed is read, threaded, and a second ingest adds nothing', async () => {
    const first = await ingest([SAMPLES_DIR], store, { workers: 0 });
    assert.equal(first.unreadable.length, 0);
    assert.equal(first.skipped.length, 0);
    const byFile = new Map(first.archives.map((a) => [a.source.replace(/.*\//, ''), a]));
    assert.equal(byFile.get('000_e39e1c1dbf3cb047.txt')?.messages, 19);
    assert.equal(byFile.get('000_e39e1c1dbf3cb047.txt')?.format, 'mail-archive');
    assert.equal(byFile.get('001_3ff6e6a83da12ccf.txt')?.format, 'flat-rfc822');
    assert.equal(byFile.get('003_71958f29ad8d687f.txt')?.format, 'lkml');
    assert.equal(first.inserted, first.messages);

    const before = await store.stats();
    const second = await ingest([SAMPLES_DIR], store, { workers: 0 });
    assert.equal(second.inserted, 0);
    assert.equal(second.duplicates, first.messages);
    assert.deepEqual(await store.stats(), before);
  });

  test("seed 000's 19 messages form one tree rooted at the 2021-02-01 patch", async () => {
    const hits = await store.search({ text: '"Skipping memblock_is_map_memory() for all non early memory sections"' });
    const patch = hits.find((h) => h.date?.startsWith('2021-02-01'));
    assert.ok(patch, 'the V2 1/2 patch is searchable');
    const thread = await store.thread(patch.msgid);
    assert.ok(thread);
    assert.equal(thread.root, patch.msgid);
    assert.equal(thread.messages.filter((m) => !m.ghost).length, 19);
    assert.match(thread.subject, /arm64\/mm: Fix pfn_valid\(\) for ZONE_DEVICE based memory/);
    for (const m of thread.messages.slice(1)) {
      assert.equal(m.inferred, 'attribution', `${m.from} ${m.date} has an attribution-derived parent`);
      assert.ok(m.evidence && m.evidence.length > 0);
    }
  });
});

describe('real mbox archives', () => {
  test('the kvmarm thread threads by headers into one tree of 12', async () => {
    const store = await openSqliteStore(freshDb('kvmarm.db'));
    try {
      const s = await ingest([KVMARM], store, { workers: 0 });
      assert.equal(s.messages, 12);
      const t = await store.thread('20210628161925.401343-1-alexandre.chartre@oracle.com');
      assert.ok(t);
      assert.equal(t.root, '20210628161925.401343-1-alexandre.chartre@oracle.com');
      assert.equal(t.messages.filter((m) => !m.ghost).length, 12);
      for (const m of t.messages.slice(1)) assert.ok(m.inferred === 'in-reply-to' || m.inferred === 'references');
    } finally {
      await store.close();
    }
  });

  test('the same messages from a plain and a gzipped copy are stored once, with both provenances', async () => {
    const gz = resolve(dir, 'kvmarm-copy.mbox.gz');
    writeFileSync(gz, gzipSync(readFileSync(KVMARM)));
    const store = await openSqliteStore(freshDb('dup.db'));
    try {
      const s = await ingest([KVMARM, gz], store, { workers: 0 });
      assert.equal(s.messages, 24);
      assert.equal(s.inserted, 12);
      assert.equal(s.duplicates, 12);
      assert.equal(
        s.archives.reduce((n, a) => n + a.duplicates, 0),
        s.duplicates,
        'per-archive duplicate counts add up to the run total',
      );
      assert.equal(s.archives.find((a) => a.source.endsWith('.gz'))?.duplicates, 12);
      const m = await store.message('20210628161925.401343-1-alexandre.chartre@oracle.com');
      assert.deepEqual(
        m?.sources.map((x) => x.source.replace(/.*\//, '')).sort(),
        ['kvmarm-copy.mbox.gz', 'kvmarm-pmu-disabled-counters-2021.mbox'],
      );
    } finally {
      await store.close();
    }
  });

  test('a truncated gzip yields what it holds and says so; an unreadable path is reported, the rest goes in', async () => {
    const whole = gzipSync(readFileSync(resolve(LFDR, 'lakml-gic-v3-its-disabled-irq-2020.mbox')));
    const cut = resolve(dir, 'lakml-cut.mbox.gz');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const store = await openSqliteStore(freshDb('trunc.db'));
    try {
      const s = await ingest([cut, resolve(dir, 'no-such-archive.mbox'), KVMARM], store, { workers: 0 });
      const a = s.archives.find((x) => x.source === cut);
      assert.ok(a && a.messages > 0 && a.messages < 11, `some but not all of the 11 messages: ${a?.messages}`);
      assert.equal(a.truncated, true);
      assert.ok(s.skipped.some((k) => k.source === cut && /truncated/i.test(k.reason)));
      assert.equal(s.unreadable.length, 1);
      assert.match(s.unreadable[0].path, /no-such-archive/);
      assert.equal((await store.stats()).skipped, s.skipped.length);
      assert.ok(s.archives.some((x) => x.source === KVMARM && x.messages === 12));
    } finally {
      await store.close();
    }
  });
});

/** An mbox of `n` real mails (the kvmarm thread repeated) with unique Message-IDs. */
function manyMessagesMbox(path: string, n: number): void {
  const text = readFileSync(KVMARM, 'latin1');
  const mails = text.split(/^(?=From mboxrd@z )/m).filter((m) => m.startsWith('From '));
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const mail = mails[i % mails.length];
    out.push(mail.replace(/^(Message-I[dD]:\s*<)([^>]+)>/m, (_m, head: string, id: string) => `${head}copy${i}.${id}>`));
  }
  writeFileSync(path, out.join(''), 'latin1');
}

function count(db: string): number {
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return (d.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
  } catch {
    return 0;
  } finally {
    d.close();
  }
}

test('a run killed mid-ingest loses and duplicates nothing when re-run', async () => {
  const mbox = resolve(dir, 'many.mbox');
  const n = 2400;
  manyMessagesMbox(mbox, n);
  const db = freshDb('killed.db');
  const args = ['--import', 'tsx', 'cli.ts', 'ingest', mbox, '--db', db, '--batch-size', '50', '--workers', '0', '--no-progress'];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
  // Kill it once some batches are committed but well before the end.
  const killedAt = await new Promise<number>((done, fail) => {
    const timer = setInterval(() => {
      let c = 0;
      try {
        c = count(db);
      } catch {
        return;
      }
      if (c >= 200) {
        clearInterval(timer);
        child.kill('SIGKILL');
        done(c);
      }
    }, 20);
    child.on('exit', () => {
      clearInterval(timer);
      fail(new Error('ingest finished before it could be killed'));
    });
  });
  await new Promise((r) => child.once('exit', r));
  assert.ok(killedAt < n, `killed after ${killedAt} of ${n}`);

  const store = await openSqliteStore(db);
  try {
    const s = await ingest([mbox], store, { workers: 0, batchSize: 50 });
    assert.equal(s.messages, n);
    const stats = await store.stats();
    assert.equal(stats.messages, n, 'every message once');
    assert.ok(s.duplicates >= killedAt - 50, 'what the killed run committed is recognised, not re-added');
  } finally {
    await store.close();
  }
});

test('--no-claims (claims: false) derives the patch graph and extracts no claims; the CLI says so', async () => {
  const db = freshDb('no-claims.db');
  const store = await openSqliteStore(db);
  try {
    const summary = await ingest([SEED.armPfnValid], store, { workers: 0, claims: false });
    assert.ok(summary.derived && summary.derived.messages === 19);
    assert.equal(summary.claims, null);
    assert.ok((await store.patches.series()).length >= 1);
    assert.deepEqual(await store.claims.claims({}), []);
  } finally {
    await store.close();
  }
  const out = await new Promise<string>((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli.ts', 'ingest', SEED.armPfnValid, '--db', freshDb('no-claims-cli.db'), '--no-claims', '--no-progress'], { cwd: ROOT });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done(text) : fail(new Error(`exit ${code}`))));
  });
  assert.match(out, /^derived in /m);
  assert.doesNotMatch(out, /^claims: /m);
});

test('parsing runs a whole store batch ahead when the derive stage follows, and stays narrow without it', () => {
  const cores = availableParallelism();
  const deriving = parsePlan(true, 500, undefined);
  assert.equal(deriving.workers, Math.min(2, cores));
  assert.ok(deriving.window > 500, 'the parsers keep going while a batch of 500 is written');
  const alone = parsePlan(false, 500, undefined);
  assert.equal(alone.workers, Math.min(2, Math.max(1, cores - 1)));
  assert.ok(alone.window <= 32, 'ingest alone keeps its memory budget');
  assert.equal(parsePlan(true, 500, 0).workers, 0, '--workers wins');
});
