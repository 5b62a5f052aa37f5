// npm run bench -- web --db FILE [--neo4j URI] [--runs N] [--q WORDS] [--symbol NAME] [--messages N]
//
// Server-side time of the web UI over an existing database: a thread page of about N messages
// (default 100; the largest thread too), a search page, and the symbol page of the most-discussed
// symbol (or --symbol), each requested N times (after a warm-up) from a real server on 127.0.0.1.
// Nothing is written to the database: copy a shared one first if its schema is older than the code. The time
// counted is the server's own, from the request arriving to the response finishing (a listener
// on the HTTP server), so loopback and client costs are left out; the client-observed time is
// reported beside it. Results go to stdout and to .work/bench/web.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '../../graph/open.js';
import { startServer } from '../../web/server.js';
import { encodeMsgid } from '../../web/urls.js';
import { ROOT } from '../fixtures.js';

export const needsArgs = true;

const WARMUP = 5;

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

interface Figures {
  path: string;
  status: number;
  bytes: number;
  serverP50Ms: number;
  serverP95Ms: number;
  clientP50Ms: number;
  clientP95Ms: number;
}

export async function run(args: string[]): Promise<void> {
  const db = flag(args, '--db');
  const neo4j = flag(args, '--neo4j');
  if (!db && !neo4j) throw new Error('usage: npm run bench -- web --db FILE [--neo4j URI] [--runs N] [--q WORDS]');
  const runs = Number(flag(args, '--runs') ?? '50');
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive whole number');
  const q = flag(args, '--q') ?? 'pfn_valid';
  const want = Number(flag(args, '--messages') ?? '100');
  if (!Number.isInteger(want) || want < 1) throw new Error('--messages must be a positive whole number');

  const store = await openStore({ db: db ? resolve(db) : undefined, neo4j });
  const stats = await store.stats();
  const threads = await store.threads();
  if (threads.length === 0) throw new Error('the database holds no threads: ingest something first');
  const largest = threads.reduce((a, b) => (b.messages > a.messages ? b : a));
  // The thread closest to the size asked for (at least that many messages when there is one).
  const sized = threads.filter((t) => t.messages >= want).reduce<typeof largest | null>((a, b) => (a === null || b.messages < a.messages ? b : a), null) ?? largest;
  const symbols = await store.claims.symbols();
  const symbol = flag(args, '--symbol') ?? symbols[0]?.name ?? null;

  const server = await startServer({ store, port: 0 });
  const serverMs = new Map<string, number>();
  server.server.on('request', (req, res) => {
    const t0 = performance.now();
    res.on('finish', () => serverMs.set(req.url ?? '', performance.now() - t0));
  });

  const measure = async (path: string): Promise<Figures> => {
    const server_: number[] = [];
    const client: number[] = [];
    let status = 0;
    let bytes = 0;
    for (let i = 0; i < WARMUP + runs; i++) {
      const t0 = performance.now();
      const res = await fetch(server.url.replace(/\/$/, '') + path);
      const body = await res.arrayBuffer();
      const elapsed = performance.now() - t0;
      status = res.status;
      bytes = body.byteLength;
      // 'finish' fires before the client has read the whole body; wait for it if it has not yet.
      let s = serverMs.get(path);
      for (let tries = 0; s === undefined && tries < 100; tries++) {
        await new Promise((r) => setTimeout(r, 1));
        s = serverMs.get(path);
      }
      serverMs.delete(path);
      if (status !== 200) throw new Error(`${path} answered ${status}`);
      if (i < WARMUP) continue;
      client.push(elapsed);
      if (s !== undefined) server_.push(s);
    }
    server_.sort((a, b) => a - b);
    client.sort((a, b) => a - b);
    return {
      path,
      status,
      bytes,
      serverP50Ms: percentile(server_, 50),
      serverP95Ms: percentile(server_, 95),
      clientP50Ms: percentile(client, 50),
      clientP95Ms: percentile(client, 95),
    };
  };

  try {
    const sizedThread = await measure(`/thread/${encodeMsgid(sized.root)}`);
    const thread = await measure(`/thread/${encodeMsgid(largest.root)}`);
    const symbolPage = symbol ? await measure(`/symbol/${encodeURIComponent(symbol)}`) : null;
    const symbolInfo = symbol ? await store.claims.symbol(symbol) : null;
    const searchPath = `/search?q=${encodeURIComponent(q)}`;
    const search = await measure(searchPath);
    const apiThread = await measure(`/api/thread/${encodeMsgid(largest.root)}`);
    const hits = (await store.search({ text: q, limit: 20 })).length;
    const result = {
      db: db ? resolve(db) : neo4j,
      backend: store.backend,
      store: stats,
      runs,
      warmup: WARMUP,
      node: process.version,
      thread: { root: sized.root, subject: sized.subject, messages: sized.messages, html: sizedThread },
      largestThread: { root: largest.root, subject: largest.subject, messages: largest.messages, html: thread, json: apiThread },
      symbol: symbolPage ? { name: symbol, claims: symbolInfo?.claims.length ?? 0, html: symbolPage } : null,
      search: { q, hitsOnFirstPage: hits, html: search },
      measuredAt: new Date().toISOString(),
    };
    const fmt = (f: Figures): string =>
      `server p50 ${f.serverP50Ms.toFixed(1)} ms, p95 ${f.serverP95Ms.toFixed(1)} ms` +
      ` (client p50 ${f.clientP50Ms.toFixed(1)} ms, p95 ${f.clientP95Ms.toFixed(1)} ms; ${(f.bytes / 1024).toFixed(0)} KiB)`;
    console.log(`store: ${stats.messages} messages, ${stats.threads} threads (${store.backend}); ${runs} runs after ${WARMUP} warm-up`);
    console.log(`thread page (${sized.messages} messages): ${fmt(sizedThread)}`);
    console.log(`largest thread page (${largest.messages} messages): ${fmt(thread)}`);
    if (symbolPage) console.log(`symbol page (${symbol}, ${symbolInfo?.claims.length ?? 0} claims): ${fmt(symbolPage)}`);
    else console.log('symbol page: no claims in this store (derive them first), not measured');
    console.log(`  same thread as JSON:            ${fmt(apiThread)}`);
    console.log(`search page (q=${q}, ${hits} hits): ${fmt(search)}`);
    const outDir = resolve(ROOT, '.work/bench');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(resolve(outDir, 'web.json'), JSON.stringify(result, null, 2) + '\n');
    console.log(`wrote ${resolve(outDir, 'web.json')}`);
  } finally {
    await server.close();
    await store.close();
  }
}
