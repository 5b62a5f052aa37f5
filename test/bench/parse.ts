// npm run bench -- parse PATH [--limit N] [--workers N] [--format FORMAT] [--phase split|parse|both]
//
// Reads PATH through readSources (any format the ingester takes) and reports two figures:
//   split: the source alone (reading, gunzip, mbox splitting / git cat-file), messages/s and MB/s;
//   parse: the same read with every message parsed by the worker pool (parseRfc822).
// CPU seconds are reported beside wall time: on a shared machine they are the stable figure.
// Peak RSS is process.resourceUsage().maxRSS (the whole process, worker threads included), taken
// after each phase; it is a high-water mark, so the parse figure includes the split phase.
// Results go to stdout and to .work/bench/parse.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SOURCE_FORMATS, type SourceFormat } from '../../ingest/model.js';
import { createParserPool } from '../../ingest/parse/pool.js';
import { readSources } from '../../ingest/sources/index.js';
import { ROOT } from '../fixtures.js';

export const needsArgs = true;

interface PhaseResult {
  messages: number;
  skips: number;
  bytes: number;
  seconds: number;
  messagesPerSecond: number;
  megabytesPerSecond: number;
  peakRssMB: number;
  /** CPU seconds of this process (all threads; git child processes not included). */
  cpuSeconds: number;
  /** messages / cpuSeconds: a figure that does not depend on how busy the machine is. */
  messagesPerCpuSecond: number;
  parseErrors?: number;
  syntheticIds?: number;
  workers?: number;
}

interface Args {
  path: string;
  limit: number;
  workers: number;
  format?: SourceFormat;
  phase: 'split' | 'parse' | 'both';
}

function parseArgs(args: string[]): Args {
  let path = '';
  let limit = Infinity;
  let workers = 2;
  let format: SourceFormat | undefined;
  let phase: Args['phase'] = 'both';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--limit') limit = Number(args[++i]);
    else if (a === '--workers') workers = Number(args[++i]);
    else if (a === '--format') {
      const f = args[++i] as SourceFormat;
      if (!SOURCE_FORMATS.includes(f)) throw new Error(`unknown format ${f}`);
      format = f;
    } else if (a === '--phase') phase = args[++i] as Args['phase'];
    else if (!path) path = a;
    else throw new Error(`unexpected argument ${a}`);
  }
  if (!path) throw new Error('usage: npm run bench -- parse PATH [--limit N] [--workers N] [--format F] [--phase split|parse|both]');
  if (!Number.isFinite(workers) || workers < 0) throw new Error('--workers takes a number >= 0');
  return { path, limit, workers, format, phase };
}

const peakRssMB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

const cpuSince = (c0: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
};

async function splitPhase(a: Args): Promise<PhaseResult> {
  let messages = 0;
  let skips = 0;
  let bytes = 0;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for await (const it of readSources([a.path], { format: a.format, onSkip: () => skips++ })) {
    messages++;
    bytes += it.kind === 'rfc822' ? it.bytes.length : Buffer.byteLength(it.message.body);
    if (messages >= a.limit) break;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpuSeconds = cpuSince(c0);
  return {
    messages,
    skips,
    bytes,
    seconds,
    messagesPerSecond: messages / seconds,
    megabytesPerSecond: bytes / 1e6 / seconds,
    peakRssMB: peakRssMB(),
    cpuSeconds,
    messagesPerCpuSecond: messages / cpuSeconds,
  };
}

async function parsePhase(a: Args): Promise<PhaseResult> {
  const pool = createParserPool({ workers: a.workers });
  let messages = 0;
  let skips = 0;
  let bytes = 0;
  let parseErrors = 0;
  let syntheticIds = 0;
  const inFlight = new Set<Promise<void>>();
  const window = Math.max(16, a.workers * 32);
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  try {
    for await (const it of readSources([a.path], { format: a.format, onSkip: () => skips++ })) {
      if (messages >= a.limit) break;
      messages++;
      if (it.kind === 'message') {
        bytes += Buffer.byteLength(it.message.body);
        continue;
      }
      bytes += it.bytes.length;
      const p: Promise<void> = pool.parse(it.bytes, it.provenance).then(
        (m) => {
          if (m.synthetic) syntheticIds++;
        },
        () => {
          parseErrors++;
        },
      );
      const tracked = p.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      if (inFlight.size >= window) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    await pool.close();
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpuSeconds = cpuSince(c0);
  return {
    messages,
    skips,
    bytes,
    seconds,
    messagesPerSecond: messages / seconds,
    megabytesPerSecond: bytes / 1e6 / seconds,
    peakRssMB: peakRssMB(),
    cpuSeconds,
    messagesPerCpuSecond: messages / cpuSeconds,
    parseErrors,
    syntheticIds,
    workers: a.workers,
  };
}

function show(name: string, r: PhaseResult): void {
  const extra = r.parseErrors !== undefined ? `, ${r.parseErrors} not parsed, ${r.workers} workers` : '';
  console.log(
    `${name.padEnd(6)} ${r.messages} messages (${r.skips} skips) in ${r.seconds.toFixed(2)} s: ` +
      `${Math.round(r.messagesPerSecond)} msgs/s, ${r.megabytesPerSecond.toFixed(1)} MB/s, ` +
      `${r.cpuSeconds.toFixed(1)} CPU-s (${Math.round(r.messagesPerCpuSecond)} msgs/CPU-s), peak RSS ${r.peakRssMB} MB${extra}`,
  );
}

export async function run(args: string[]): Promise<void> {
  const a = parseArgs(args);
  const result: { path: string; limit: number | null; split?: PhaseResult; parse?: PhaseResult; date: string } = {
    path: a.path,
    limit: Number.isFinite(a.limit) ? a.limit : null,
    date: new Date().toISOString(),
  };
  if (a.phase !== 'parse') {
    result.split = await splitPhase(a);
    show('split', result.split);
  }
  if (a.phase !== 'split') {
    result.parse = await parsePhase(a);
    show('parse', result.parse);
  }
  const dir = resolve(ROOT, '.work/bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(resolve(dir, 'parse.json'), `${JSON.stringify(result, null, 2)}\n`);
}
