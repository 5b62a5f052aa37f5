// npm run bench -- export DB [--batch N] [--no-neo4j] [--no-sqlite]
//
// Whole-graph writes: `loregraph export` of DB (an ingested embedded store, e.g. the 91k-message
// linux-arm-kernel epoch with its patch graph and claims) into a fresh SQLite file and (when a
// server answers) into Neo4j: every kind of write the stores make — messages with full-text
// indexing, the thread forest, derivations (hunks, quotes, trailers), comments, the series graph,
// check runs, claims with statuses. Elements are nodes + relationships as Neo4j holds them after
// the export (the SQLite copy holds the same graph; without Neo4j it is reported as null).
// Reports wall seconds, elements/s, CPU seconds (this process; the Neo4j server's when it runs
// here) and the process's peak RSS during each export. Writes .work/bench/export.json.
// The Neo4j database is emptied first (graph/neo4j/testDatabase.ts).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { GraphStore } from '../../graph/store.js';
import { openSqliteStore } from '../../graph/sqlite/store.js';
import { exportToNeo4j, type ExportPhase, type ExportResult } from '../../graph/neo4j/export.js';
import { ROOT } from '../fixtures.js';
import { neo4jServerCpuSeconds, processCpuSeconds } from './cpu.js';
import { emptyNeo4jForBench, graphElements } from './neo4jTarget.js';

export const needsArgs = true;

interface Run {
  target: 'sqlite' | 'neo4j';
  seconds: number;
  /**
   * Seconds from the start at which each phase ended (messages: with archives, skips and the
   * forest; comments: with the series graph).
   */
  phases: Partial<Record<ExportPhase, number>>;
  clientCpuSeconds: number;
  serverCpuSeconds: number | null;
  peakRssMb: number;
  result: ExportResult;
}



const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

async function exportInto(source: GraphStore, target: GraphStore, batch: number): Promise<Run> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const server0 = target.backend === 'neo4j' ? neo4jServerCpuSeconds() : null;
  const cpu0 = processCpuSeconds();
  const t0 = performance.now();
  const phases: Run['phases'] = {};
  const current: { phase: ExportPhase | null } = { phase: null };
  try {
    const result = await exportToNeo4j(source, target, {
      batchSize: batch,
      onBatch: (p) => {
        if (p.phase === current.phase) return;
        if (current.phase) phases[current.phase] = round((performance.now() - t0) / 1000);
        current.phase = p.phase;
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    if (current.phase) phases[current.phase] = round(seconds);
    const server1 = target.backend === 'neo4j' ? neo4jServerCpuSeconds() : null;
    return {
      target: target.backend,
      seconds: round(seconds),
      phases,
      clientCpuSeconds: round(processCpuSeconds() - cpu0),
      serverCpuSeconds: server0 === null || server1 === null ? null : round(server1 - server0),
      peakRssMb: Math.round(Math.max(peak, process.memoryUsage().rss) / 1e6),
      result,
    };
  } finally {
    clearInterval(sampler);
  }
}

export async function run(args: string[]): Promise<void> {
  const db = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
  if (!db) throw new Error('usage: npm run bench -- export DB [--batch N] [--no-neo4j] [--no-sqlite]');
  const at = args.indexOf('--batch');
  const batch = at >= 0 ? Number(args[at + 1]) : 500;
  const outDir = resolve(ROOT, '.work/bench');
  mkdirSync(outDir, { recursive: true });
  const source = await openSqliteStore(resolve(db));
  const runs: Run[] = [];
  let elements: number | null = null;
  let neo4jSkipped: string | null = null;
  try {
    if (!args.includes('--no-sqlite')) {
      const path = resolve(outDir, 'export-bench.db');
      for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
      const target = await openSqliteStore(path);
      try {
        runs.push(await exportInto(source, target, batch));
      } finally {
        await target.close();
        for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
      }
    }
    if (!args.includes('--no-neo4j')) {
      const target = await emptyNeo4jForBench();
      if ('skipped' in target) neo4jSkipped = target.skipped;
      else {
        try {
          runs.push(await exportInto(source, target.store, batch));
          const e = await graphElements(target.store);
          elements = e.nodes + e.relationships;
        } finally {
          await target.release();
        }
      }
    }
  } finally {
    await source.close();
  }
  const out = {
    db,
    batch,
    measuredAt: new Date().toISOString(),
    loadAverage: loadavg().map((x) => round(x, 2)),
    elements,
    neo4jSkipped,
    runs: runs.map((r) => ({ ...r, elementsPerSecond: elements === null ? null : Math.round(elements / r.seconds) })),
  };
  writeFileSync(resolve(outDir, 'export.json'), JSON.stringify(out, null, 2) + '\n');
  for (const r of out.runs) {
    console.log(
      `export into ${r.target}: ${r.result.messages} messages, ${elements ?? '?'} elements in ${r.seconds} s = ${r.elementsPerSecond ?? '?'} elements/s; ` +
        `CPU ${r.clientCpuSeconds} s${r.serverCpuSeconds === null ? '' : ` + server ${r.serverCpuSeconds} s`}; peak RSS ${r.peakRssMb} MB; ` +
        `phases end at ${Object.entries(r.phases).map(([k, v]) => `${k} ${v} s`).join(', ')}`,
    );
  }
  if (neo4jSkipped) console.log(`neo4j: skipped (${neo4jSkipped})`);
}
