// Neo4j store benchmark: graph writes per second (nodes + relationships) for ~20k real messages
// (the lfdr peer threads repeated under renamed Message-IDs), the thread forest write, and p50/p95
// latency of thread() and search(). Writes .work/bench/neo4j.json.
// Targets: >= 20,000 elements/s for writes; thread() p95 <= 100 ms.
// Usage: npm run bench -- neo4j [--batch N]. Needs a server (`npm run neo4j`); it empties the database first (see graph/neo4j/testDatabase.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { projectPath } from '../../graph/paths.js';
import { collect, distinctiveWords, realMessages, variedMessages } from '../../graph/contract/testData.js';
import { threadMessages } from '../../ingest/thread/jwz.js';
import { neo4jConfig, openNeo4jStore } from '../../graph/neo4j/store.js';
import { claimTestDatabase } from '../../graph/neo4j/testDatabase.js';
import { neo4jServerCpuSeconds, processCpuSeconds } from './cpu.js';
import { graphElements } from './neo4jTarget.js';

export const needsArgs = false;

const TARGET_MESSAGES = 20_000;
const DEFAULT_BATCH = 1_000;
const THREAD_QUERIES = 300;
const SEARCH_QUERIES = 200;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

async function latencies(count: number, run: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number; max: number }> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await run(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: round(percentile(times, 50), 2), p95: round(percentile(times, 95), 2), max: round(times[times.length - 1], 2) };
}



/** `npm run bench -- neo4j [--batch N]`: messages per putMessages call (default 1000). */
export async function run(args: string[]): Promise<void> {
  const at = args.indexOf('--batch');
  const BATCH = at >= 0 ? Number(args[at + 1]) : DEFAULT_BATCH;
  if (!Number.isInteger(BATCH) || BATCH <= 0) throw new Error(`--batch wants a positive integer, got ${args[at + 1]}`);
  const { uri } = neo4jConfig();
  const claim = await claimTestDatabase();
  if (!claim.ok) {
    console.log(`neo4j benchmark not run: ${claim.reason} (start a server with npm run neo4j, or set NEO4J_URI)`);
    return;
  }
  await claim.reset();
  const base = await realMessages();
  const messages = variedMessages(base, Math.ceil(TARGET_MESSAGES / base.length));
  const store = await openNeo4jStore();
  try {
    // A server just started runs its write path interpreted; one short pass lets the JIT compile
    // it, so the figures below are the steady state a long-running server shows.
    const warmup = variedMessages(base, 60).map((m) => ({ ...m, msgid: `warmup.${m.msgid}` }));
    const warmStart = performance.now();
    for (let i = 0; i < warmup.length; i += BATCH) await store.putMessages(warmup.slice(i, i + BATCH));
    const warmupMs = performance.now() - warmStart;
    await store.clear();
    // The full-text index is eventually consistent: the deletions just queued are applied before
    // the clock starts, and what the writes leave is timed on its own below.
    await store.indexForSearch();
    const before = await graphElements(store);
    const serverCpu0 = neo4jServerCpuSeconds();
    const clientCpu0 = processCpuSeconds();
    let t0 = performance.now();
    for (let i = 0; i < messages.length; i += BATCH) await store.putMessages(messages.slice(i, i + BATCH));
    const writeMs = performance.now() - t0;
    const serverCpu1 = neo4jServerCpuSeconds();
    const serverCpu = serverCpu0 === null || serverCpu1 === null ? null : serverCpu1 - serverCpu0;
    const clientCpu = processCpuSeconds() - clientCpu0;
    t0 = performance.now();
    await store.indexForSearch();
    const searchIndexMs = performance.now() - t0;
    const afterMessages = await graphElements(store);
    const messageElements =
      afterMessages.nodes - before.nodes + (afterMessages.relationships - before.relationships);

    const { assignments } = threadMessages(await collect(store.threadingRecords()));
    t0 = performance.now();
    await store.replaceThreadForest(assignments);
    const forestMs = performance.now() - t0;
    const afterForest = await graphElements(store);
    const forestElements =
      afterForest.nodes - afterMessages.nodes + (afterForest.relationships - afterMessages.relationships);

    const stored = messages.map((m) => m.msgid);
    const thread = await latencies(THREAD_QUERIES, (i) => store.thread(stored[(i * 7919) % stored.length]));
    const words = distinctiveWords(base).map((d) => d.word);
    const common = ['disabled', 'counter', 'interrupt', 'integrity', 'pfn_valid', '"block integrity"', 'irq*'];
    const queries = [...words, ...common];
    const search = await latencies(SEARCH_QUERIES, (i) =>
      store.search({ text: queries[i % queries.length], author: i % 3 === 0 ? 'maz@kernel.org' : undefined, limit: 20 }),
    );

    const result = {
      backend: 'neo4j',
      uri,
      messages: messages.length,
      batch: BATCH,
      warmup: { messages: warmup.length, messagesPerSecond: Math.round(warmup.length / (warmupMs / 1000)) },
      writes: {
        seconds: round(writeMs / 1000, 2),
        nodes: afterMessages.nodes - before.nodes,
        relationships: afterMessages.relationships - before.relationships,
        elementsPerSecond: Math.round(messageElements / (writeMs / 1000)),
        messagesPerSecond: Math.round(messages.length / (writeMs / 1000)),
        serverCpuSeconds: serverCpu === null ? null : round(serverCpu, 2),
        clientCpuSeconds: round(clientCpu, 2),
        elementsPerServerCpuSecond: serverCpu ? Math.round(messageElements / serverCpu) : null,
        loadAverage: loadavg().map((x) => round(x, 1)),
        /** indexForSearch() after the writes: until the full-text index held every message. */
        searchIndexSeconds: round(searchIndexMs / 1000, 2),
      },
      threadForest: {
        containers: assignments.length,
        seconds: round(forestMs / 1000, 2),
        elements: forestElements,
        elementsPerSecond: Math.round(forestElements / (forestMs / 1000)),
      },
      overallElementsPerSecond: Math.round((messageElements + forestElements) / ((writeMs + forestMs) / 1000)),
      threadMs: thread,
      searchMs: search,
      targets: { elementsPerSecond: 20_000, threadP95Ms: 100 },
      at: new Date().toISOString(),
    };
    const out = projectPath('.work', 'bench', 'neo4j.json');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
    console.log(
      `neo4j: ${result.messages} messages in ${result.writes.seconds} s = ${result.writes.elementsPerSecond} elements/s ` +
        `(${result.writes.messagesPerSecond} messages/s, ${result.writes.elementsPerServerCpuSecond ?? '?'} per server CPU-second, ` +
        `load ${result.writes.loadAverage[0]}); search index caught up ${result.writes.searchIndexSeconds} s later; thread forest ${result.threadForest.elementsPerSecond} elements/s; ` +
        `thread() p50 ${thread.p50} ms p95 ${thread.p95} ms; search() p50 ${search.p50} ms p95 ${search.p95} ms → ${out}`,
    );
  } finally {
    await store.close();
    await claim.reset();
  }
}
