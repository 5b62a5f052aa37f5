// npm run bench -- claims PATH [--limit N] [--workers N] [--quoted]
//
// Claim extraction throughput over real mail: messages are read from PATH with readSources (any
// format the ingester takes) and parsed by the worker pool (parseRfc822), then each body is
// segmented (ingest/segment, through inputFromMessageBody) and its claims extracted
// (extractClaims, the classifier loaded before the clock starts). Reported: sentences per second
// of extraction, and the share of time each stage takes (parse, segment, extract) - wall seconds
// for the three, CPU seconds beside them (parsing runs in worker threads, so its wall time is the
// figure to compare). Results go to stdout and to .work/bench/claims.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { extractClaims, inputFromMessageBody, loadClassifier, splitSentences, type ExtractInput } from '../../analysis/claims/index.js';
import type { Message } from '../../ingest/model.js';
import { createParserPool } from '../../ingest/parse/pool.js';
import { readSources } from '../../ingest/sources/index.js';
import { ROOT } from '../fixtures.js';

export const needsArgs = true;

interface Args {
  path: string;
  limit: number;
  workers: number;
  includeQuoted: boolean;
}

function parseArgs(args: string[]): Args {
  const a: Args = { path: '', limit: Infinity, workers: 2, includeQuoted: false };
  for (let i = 0; i < args.length; i++) {
    const x = args[i];
    if (x === '--limit') a.limit = Number(args[++i]);
    else if (x === '--workers') a.workers = Number(args[++i]);
    else if (x === '--quoted') a.includeQuoted = true;
    else if (!a.path) a.path = x;
    else throw new Error(`unexpected argument ${x}`);
  }
  if (!a.path) throw new Error('usage: npm run bench -- claims PATH [--limit N] [--workers N] [--quoted]');
  if (!(a.limit > 0)) throw new Error('--limit takes a positive number');
  return a;
}

const secondsSince = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9;
const cpuSince = (c0: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
};

/** Read and parse up to `limit` messages; wall and CPU seconds of the whole read+parse. */
async function readAndParse(a: Args): Promise<{ messages: Message[]; skips: number; parseErrors: number; seconds: number; cpuSeconds: number }> {
  const pool = createParserPool({ workers: a.workers });
  const messages: Message[] = [];
  let skips = 0;
  let parseErrors = 0;
  let read = 0;
  const inFlight = new Set<Promise<void>>();
  const window = Math.max(16, a.workers * 32);
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  try {
    for await (const it of readSources([a.path], { onSkip: () => skips++ })) {
      if (read >= a.limit) break;
      read++;
      if (it.kind === 'message') {
        messages.push(it.message);
        continue;
      }
      const p: Promise<void> = pool.parse(it.bytes, it.provenance).then(
        (m) => void messages.push(m),
        () => void parseErrors++,
      );
      const tracked = p.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      if (inFlight.size >= window) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    await pool.close();
  }
  return { messages, skips, parseErrors, seconds: secondsSince(t0), cpuSeconds: cpuSince(c0) };
}

export async function run(args: string[]): Promise<void> {
  const a = parseArgs(args);
  const parsed = await readAndParse(a);
  const classifier = loadClassifier();

  let c0 = process.cpuUsage();
  let t0 = process.hrtime.bigint();
  const inputs: ExtractInput[] = parsed.messages.map((m) => inputFromMessageBody(m.msgid, m.body));
  const segment = { seconds: secondsSince(t0), cpuSeconds: cpuSince(c0) };

  let sentences = 0;
  for (const input of inputs) sentences += splitSentences(input.lines, input.ownRanges).length;

  c0 = process.cpuUsage();
  t0 = process.hrtime.bigint();
  let claims = 0;
  const kinds: Record<string, number> = {};
  for (const input of inputs) {
    for (const c of extractClaims(input, { classifier, includeQuoted: a.includeQuoted })) {
      claims++;
      kinds[c.kind] = (kinds[c.kind] ?? 0) + 1;
    }
  }
  const extract = { seconds: secondsSince(t0), cpuSeconds: cpuSince(c0) };

  const total = parsed.seconds + segment.seconds + extract.seconds;
  const result = {
    path: a.path,
    limit: Number.isFinite(a.limit) ? a.limit : null,
    workers: a.workers,
    includeQuoted: a.includeQuoted,
    date: new Date().toISOString(),
    messages: parsed.messages.length,
    skips: parsed.skips,
    parseErrors: parsed.parseErrors,
    sentences,
    claims,
    kinds,
    parse: { ...parsed, messages: undefined, messagesPerSecond: parsed.messages.length / parsed.seconds },
    segment: { ...segment, messagesPerSecond: inputs.length / segment.seconds },
    extract: { ...extract, sentencesPerSecond: sentences / extract.seconds, claimsPerSecond: claims / extract.seconds },
    share: { parse: parsed.seconds / total, segment: segment.seconds / total, extract: extract.seconds / total },
    extractVsParse: extract.seconds / parsed.seconds,
  };
  console.log(
    `${result.messages} messages (${result.skips} skips, ${result.parseErrors} not parsed), ${sentences} own-text sentences, ${claims} claims\n` +
      `parse   ${parsed.seconds.toFixed(2)} s wall (${parsed.cpuSeconds.toFixed(1)} CPU-s, ${a.workers} workers): ${Math.round(result.parse.messagesPerSecond)} msgs/s\n` +
      `segment ${segment.seconds.toFixed(2)} s: ${Math.round(result.segment.messagesPerSecond)} msgs/s\n` +
      `extract ${extract.seconds.toFixed(2)} s: ${Math.round(result.extract.sentencesPerSecond)} sentences/s, ${Math.round(result.extract.claimsPerSecond)} claims/s\n` +
      `share of time: parse ${(result.share.parse * 100).toFixed(0)}%, segment ${(result.share.segment * 100).toFixed(0)}%, extract ${(result.share.extract * 100).toFixed(0)}% (extraction takes ${result.extractVsParse.toFixed(2)}x the parse time)`,
  );
  const dir = resolve(ROOT, '.work/bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(resolve(dir, 'claims.json'), `${JSON.stringify(result, null, 2)}\n`);
}
