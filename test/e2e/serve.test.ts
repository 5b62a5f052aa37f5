// `loregraph serve` as a user runs it: the real CLI in a child process, on a free port, printing
// its URL, answering, and stopping cleanly on SIGTERM and on SIGINT.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ingest } from '../../ingest/pipeline.js';
import { openSqliteStore } from '../../graph/sqlite/store.js';
import { ROOT, SEED, WORK_DIR } from '../fixtures.js';

const dir = join(WORK_DIR, 'e2e-serve');
const db = join(dir, 'loregraph.db');

before(async () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const store = await openSqliteStore(db);
  await ingest([SEED.armPfnValid], store, { workers: 0 });
  await store.close();
});

async function serveUntil(signal: NodeJS.Signals, extra: string[] = []): Promise<{ url: string; code: number | null; stats: unknown }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli.ts', 'serve', '--db', db, '--port', '0', ...extra], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed within 60 s; stderr: ${err}`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code} before printing a URL; stderr: ${err}`)));
  });
  const res = await fetch(new URL('/api/stats', url));
  const stats = await res.json();
  child.kill(signal);
  return { url, code: await exited, stats };
}

test('serve prints a 127.0.0.1 URL, answers, and exits 0 on SIGTERM', async () => {
  const { url, code, stats } = await serveUntil('SIGTERM');
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.equal((stats as { stats: { messages: number } }).stats.messages, 19);
  assert.equal(code, 0);
});

test('serve with --host binds where asked and exits 0 on SIGINT', async () => {
  const { url, code } = await serveUntil('SIGINT', ['--host', 'localhost']);
  assert.match(url, /^http:\/\/(127\.0\.0\.1|\[::1\]):\d+\/$/);
  assert.equal(code, 0);
});

test('a bad --port is refused before anything is opened', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli.ts', 'serve', '--db', db, '--port', 'eighty'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.notEqual(code, 0);
  assert.match(err, /--port must be a number from 0 to 65535, not 'eighty'/);
});
