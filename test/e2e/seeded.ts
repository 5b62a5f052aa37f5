// Shared set-up for the web tests: real seed samples ingested by the real pipeline into a real
// store (a fresh SQLite file under WORK_DIR, or the claimed Neo4j test database: see stores.ts),
// plus a small hostile mbox, and the real server on 127.0.0.1:0.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingest } from '../../ingest/pipeline.js';
import { openSqliteStore } from '../../graph/sqlite/store.js';
import type { GraphStore } from '../../graph/store.js';
import { startServer, type AppOptions, type RunningServer } from '../../web/server.js';
import { SAMPLES_DIR, WORK_DIR } from '../fixtures.js';

export const HOSTILE = {
  rootMsgid: 'hostile-1@example.org',
  /** A Message-ID with a slash, quotes, `&` and `=` in it: it must survive URLs and attributes. */
  replyMsgid: `hostile-2/"onmouseover='x'&y@example.org`,
  subject: '<script>alert(1)</script> [PATCH] mm: hostile subject',
  fromName: '"><img src=x onerror=alert(2)>',
  searchWord: 'hostileword',
} as const;

/** Two messages whose subject, From name, body and Message-ID try to inject HTML and script. */
export function writeHostileMbox(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'hostile.mbox');
  const mail = [
    'From evil@example.org Mon Jan  4 10:00:00 2021',
    `From: "\\"><img src=x onerror=alert(2)>" <evil@example.org>`,
    'To: linux-mm@kvack.org',
    `Subject: ${HOSTILE.subject}`,
    'Date: Mon, 4 Jan 2021 10:00:00 +0000',
    `Message-ID: <${HOSTILE.rootMsgid}>`,
    '',
    `Body with <script>alert(1)</script> and ${HOSTILE.searchWord} <b>bold</b> & "quotes".`,
    '<img src=x onerror=alert(3)>',
    '',
    'From evil@example.org Mon Jan  4 11:00:00 2021',
    'From: Reviewer <reviewer@example.org>',
    'To: linux-mm@kvack.org',
    `Subject: Re: ${HOSTILE.subject}`,
    'Date: Mon, 4 Jan 2021 11:00:00 +0000',
    `Message-ID: <${HOSTILE.replyMsgid}>`,
    `In-Reply-To: <${HOSTILE.rootMsgid}>`,
    `References: <${HOSTILE.rootMsgid}>`,
    '',
    'On Mon, Jan 4, 2021 evil wrote:',
    `> Body with <script>alert(1)</script> and ${HOSTILE.searchWord}`,
    '> <svg onload=alert(4)>',
    '',
    'Reply: </pre><script>alert(6)</script>',
    '',
  ].join('\n');
  writeFileSync(path, mail);
  return path;
}

export interface Seeded {
  store: GraphStore;
  /** Where the data lives: the SQLite file, or the Neo4j URI. */
  dbPath: string;
  server: RunningServer;
  /** Base URL without the trailing slash. */
  base: string;
  close(): Promise<void>;
}

export interface SeedOptions {
  hostile?: boolean;
  app?: AppOptions;
}

/** Ingests the seed samples (and the hostile mbox) into `store` with the real pipeline and serves it on a free port. */
export async function seedAndServe(name: string, store: GraphStore, dbPath: string, opts: SeedOptions = {}): Promise<Seeded> {
  const dir = join(WORK_DIR, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    const paths = [SAMPLES_DIR];
    if (opts.hostile) paths.push(writeHostileMbox(join(dir, 'mail')));
    const summary = await ingest(paths, store, { workers: 0 });
    if (summary.unreadable.length) throw new Error(`could not read ${JSON.stringify(summary.unreadable)}`);
    const server = await startServer({ store, port: 0, app: opts.app });
    return {
      store,
      dbPath,
      server,
      base: server.url.replace(/\/$/, ''),
      close: async () => {
        await server.close();
        await store.close();
      },
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}

/** A fresh SQLite database with the seed samples (and the hostile mbox) ingested, served on a free port. */
export async function seededServer(name: string, opts: SeedOptions = {}): Promise<Seeded> {
  const dir = join(WORK_DIR, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const dbPath = join(dir, 'loregraph.db');
  return seedAndServe(name, await openSqliteStore(dbPath), dbPath, opts);
}
