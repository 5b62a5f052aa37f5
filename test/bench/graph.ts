// npm run bench -- graph DB [--limit N] [--batch N] [--no-neo4j]
//
// Both stores on a real archive: DB is an embedded store already ingested from it (e.g. the one
// `npm run bench -- ingest ARCHIVE --keep` leaves at .work/bench/ingest-bench.db).
//   writes: the first N messages (default 30,000) and then their thread forest are written into a
//           fresh SQLite file and (when a server answers) into Neo4j, in batches; graph elements
//           per second = nodes + relationships the graph gains (counted in Neo4j; for SQLite the
//           same elements by construction: a Message, WROTE and FROM_SOURCE per message, an
//           Address per author, an Archive per source; a Thread per root, IN_THREAD per container,
//           REPLY_TO per non-root, a node per ghost);
//           Stores may leave full-text indexing out of the message writes and do it in bulk after
//           them (GraphStore.indexForSearch): that is timed on its own ("search index"), and
//           "with search index" gives the elements per second of the two together;
//   queries: p50/p95 of thread(), patches.series()/seriesDetail() and claims.symbol() on DB itself
//           and, for thread(), on the Neo4j copy.
// Targets (issue: the graph in Neo4j): embedded >= 50,000 elements/s, Neo4j >= 20,000 elements/s;
// thread and symbol queries p95 <= 50 ms embedded, <= 100 ms on Neo4j.
// Writes .work/bench/graph.json. The Neo4j database is emptied first (graph/neo4j/testDatabase.ts).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { Message } from '../../ingest/model.js';
import type { GraphStore, StoredMessage } from '../../graph/store.js';
import { openSqliteStore } from '../../graph/sqlite/store.js';
import { threadMessages } from '../../ingest/thread/jwz.js';
import { ROOT } from '../fixtures.js';
import { neo4jServerCpuSeconds, processCpuSeconds } from './cpu.js';
import { emptyNeo4jForBench, graphElements } from './neo4jTarget.js';

export const needsArgs = true;

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
}

async function latencies(n: number, fn: (i: number) => Promise<unknown>): Promise<{ n: number; p50: number; p95: number }> {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return { n, p50: Math.round(percentile(t, 50) * 100) / 100, p95: Math.round(percentile(t, 95) * 100) / 100 };
}

function strip(m: StoredMessage): Message {
  const { sources: _sources, ...message } = m;
  return message;
}

interface WriteResult {
  backend: string;
  /** 1-, 5- and 15-minute load averages when the writes began (the cores are shared). */
  loadAverage: number[];
  messages: number;
  messageElements: number;
  messageSeconds: number;
  messageElementsPerSecond: number;
  /** CPU seconds the writes took: this process, plus the Neo4j server when it runs here (else null). */
  messageCpuSeconds: { client: number; server: number | null };
  /** indexForSearch() after the message writes: what they left for the full-text index. */
  searchIndexSeconds: number;
  searchIndexCpuSeconds: { client: number; server: number | null };
  /** Message elements per second of the writes and the search index together. */
  withSearchIndexElementsPerSecond: number;
  forestElements: number;
  forestSeconds: number;
  forestElementsPerSecond: number;
}



/** CPU seconds since `from` (this process, and the Neo4j server when it runs here). */
function cpuSince(store: GraphStore, from: { client: number; server: number | null }): { client: number; server: number | null } {
  const server = store.backend === 'neo4j' ? neo4jServerCpuSeconds() : null;
  return {
    client: Math.round((processCpuSeconds() - from.client) * 100) / 100,
    server: server === null || from.server === null ? null : Math.round((server - from.server) * 100) / 100,
  };
}

function cpuNow(store: GraphStore): { client: number; server: number | null } {
  return { client: processCpuSeconds(), server: store.backend === 'neo4j' ? neo4jServerCpuSeconds() : null };
}

async function writeAll(store: GraphStore, messages: Message[], batch: number, count: () => Promise<number>): Promise<WriteResult> {
  const loadAverage = loadavg().map((l) => Math.round(l * 100) / 100);
  const before = await count();
  let cpu0 = cpuNow(store);
  let t0 = performance.now();
  for (let i = 0; i < messages.length; i += batch) await store.putMessages(messages.slice(i, i + batch));
  const messageSeconds = (performance.now() - t0) / 1000;
  const messageCpuSeconds = cpuSince(store, cpu0);
  cpu0 = cpuNow(store);
  t0 = performance.now();
  await store.indexForSearch();
  const searchIndexSeconds = (performance.now() - t0) / 1000;
  const searchIndexCpuSeconds = cpuSince(store, cpu0);
  const afterMessages = await count();
  const records = [];
  for await (const r of store.threadingRecords()) records.push(r);
  const { assignments } = threadMessages(records);
  t0 = performance.now();
  await store.replaceThreadForest(assignments);
  const forestSeconds = (performance.now() - t0) / 1000;
  const afterForest = await count();
  return {
    backend: store.backend,
    loadAverage,
    messages: messages.length,
    messageElements: afterMessages - before,
    messageSeconds: Math.round(messageSeconds * 100) / 100,
    messageElementsPerSecond: Math.round((afterMessages - before) / messageSeconds),
    messageCpuSeconds,
    searchIndexSeconds: Math.round(searchIndexSeconds * 100) / 100,
    searchIndexCpuSeconds,
    withSearchIndexElementsPerSecond: Math.round((afterMessages - before) / (messageSeconds + searchIndexSeconds)),
    forestElements: afterForest - afterMessages,
    forestSeconds: Math.round(forestSeconds * 100) / 100,
    forestElementsPerSecond: Math.round((afterForest - afterMessages) / forestSeconds),
  };
}

/** Graph elements an embedded store holds, counted as the Neo4j schema would hold them. */
function sqliteElements(store: Awaited<ReturnType<typeof openSqliteStore>>): () => Promise<number> {
  return async () => {
    const one = (sql: string): number => (store.db.prepare(sql).get() as { n: number }).n;
    return (
      3 * one('SELECT count(*) AS n FROM messages') +
      one(`SELECT count(DISTINCT coalesce(from_address, '') || '|' || coalesce(from_name, '')) AS n FROM messages`) +
      one('SELECT count(DISTINCT source) AS n FROM message_sources') +
      one('SELECT count(DISTINCT root) AS n FROM thread_nodes') +
      one('SELECT count(*) AS n FROM thread_nodes') +
      one('SELECT count(*) AS n FROM thread_nodes WHERE parent IS NOT NULL') +
      one('SELECT count(*) AS n FROM thread_nodes WHERE ghost = 1')
    );
  };
}

export async function run(args: string[]): Promise<void> {
  const db = args.find((a) => !a.startsWith('--'));
  if (!db) throw new Error('usage: npm run bench -- graph DB [--limit N] [--batch N] [--no-neo4j]');
  const opt = (name: string, dflt: number): number => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : dflt;
  };
  const limit = opt('--limit', 30_000);
  const batch = opt('--batch', 1_000);
  const outDir = resolve(ROOT, '.work/bench');
  mkdirSync(outDir, { recursive: true });

  const source = await openSqliteStore(resolve(db));
  const messages: Message[] = [];
  for await (const m of source.allMessages()) {
    messages.push(strip(m));
    if (messages.length >= limit) break;
  }

  // Queries on the whole archive, embedded.
  const stored: string[] = [];
  for await (const a of source.allThreadAssignments()) if (!a.ghost) stored.push(a.msgid);
  const series = await source.patches.series();
  const symbols = (await source.claims.symbols()).sort((a, b) => b.claims - a.claims).slice(0, 50);
  const queries = {
    thread: await latencies(300, (i) => source.thread(stored[(i * 7919) % stored.length])),
    seriesList: await latencies(20, () => source.patches.series()),
    seriesDetail: series.length ? await latencies(200, (i) => source.patches.seriesDetail(series[(i * 31) % series.length].key)) : null,
    symbol: symbols.length ? await latencies(100, (i) => source.claims.symbol(symbols[i % symbols.length].name)) : null,
  };
  const archive = { messages: (await source.stats()).messages, series: series.length, symbols: symbols.length };
  await source.close();

  // Writes, embedded.
  const target = resolve(outDir, 'graph-bench.db');
  for (const s of ['', '-wal', '-shm']) rmSync(target + s, { force: true });
  const sqlite = await openSqliteStore(target);
  const sqliteWrites = await writeAll(sqlite, messages, batch, sqliteElements(sqlite));
  await sqlite.close();
  for (const s of ['', '-wal', '-shm']) rmSync(target + s, { force: true });

  // Writes and thread queries, Neo4j.
  let neo4j: { writes: WriteResult; thread: Awaited<ReturnType<typeof latencies>> } | { skipped: string } | null = null;
  if (!args.includes('--no-neo4j')) {
    const target = await emptyNeo4jForBench();
    if ('skipped' in target) neo4j = { skipped: target.skipped };
    else {
      const { store } = target;
      try {
        const count = async (): Promise<number> => {
          const e = await graphElements(store);
          return e.nodes + e.relationships;
        };
        const writes = await writeAll(store, messages, batch, count);
        const ids = messages.map((m) => m.msgid);
        const thread = await latencies(300, (i) => store.thread(ids[(i * 7919) % ids.length]));
        neo4j = { writes, thread };
      } finally {
        await target.release();
      }
    }
  }

  const result = { db, measuredAt: new Date().toISOString(), loadAverage: loadavg(), archive, queries, sqlite: sqliteWrites, neo4j };
  writeFileSync(resolve(outDir, 'graph.json'), JSON.stringify(result, null, 2) + '\n');
  const cpu = (c: WriteResult['messageCpuSeconds']): string => `CPU ${c.client} s${c.server === null ? '' : ` + server ${c.server} s`}`;
  const w = (r: WriteResult): string =>
    `${r.backend}: ${r.messages} messages -> ${r.messageElements} elements in ${r.messageSeconds} s = ${r.messageElementsPerSecond} elements/s ` +
    `(${cpu(r.messageCpuSeconds)}); search index ${r.searchIndexSeconds} s (${cpu(r.searchIndexCpuSeconds)}), ` +
    `with it ${r.withSearchIndexElementsPerSecond} elements/s; load ${r.loadAverage.join(' ')}; forest ${r.forestElements} elements in ${r.forestSeconds} s = ${r.forestElementsPerSecond} elements/s`;
  console.log(w(sqliteWrites));
  if (neo4j && 'writes' in neo4j) console.log(w(neo4j.writes) + `; thread() p50 ${neo4j.thread.p50} ms, p95 ${neo4j.thread.p95} ms`);
  else if (neo4j) console.log(`neo4j: skipped (${neo4j.skipped})`);
  const q = (name: string, l: { p50: number; p95: number } | null): string => (l ? `${name} p50 ${l.p50} ms p95 ${l.p95} ms` : `${name}: nothing to query`);
  console.log(
    `embedded queries on ${archive.messages} messages: ${q('thread()', queries.thread)}; ${q('series()', queries.seriesList)}; ` +
      `${q('seriesDetail()', queries.seriesDetail)}; ${q('symbol()', queries.symbol)}`,
  );
}
