// The ingest pipeline: sources → parse → store in batches → thread.
//
// Each batch is written in one transaction, so a killed run loses at most the batch in flight;
// the store ignores messages it already holds, so re-running after a kill (or ingesting the same
// archive twice) adds nothing and loses nothing. Threading is recomputed over the whole store at
// the end, so messages that arrived in an earlier run join their threads.
import { stat } from 'node:fs/promises';
import type { GraphStore, ArchiveRecord } from '../graph/store.js';
import type { Message, RawItem, Skip, SourceFormat } from './model.js';
import { readSources, SourceError, type SourceProgress } from './sources/index.js';
import { createParserPool, defaultParseWorkers } from './parse/pool.js';
import { defaultStageWorkers } from './workers/taskPool.js';
import { DiskThreader } from './thread/disk.js';
import { derive, type DeriveSummary } from './derive.js';
import { deriveClaims, type ClaimDeriveSummary } from '../analysis/derive.js';

export interface IngestOptions {
  format?: SourceFormat;
  /** Messages per store transaction. */
  batchSize?: number;
  /** Worker threads for parsing, the derive pass and claim extraction (0: all on the main thread;
   * default: parsePlan() below for parsing, min(2, cores) for the two stages). */
  workers?: number;
  onProgress?: (p: IngestProgress) => void;
  /** Run the derive stage (patch graph) after threading; default true. */
  derive?: boolean;
  /** Extract claims, link and run their checks after the derive stage (analysis/derive.ts); default true. */
  claims?: boolean;
}

export interface IngestProgress {
  messages: number;
  bytesRead: number;
  bytesTotal: number | null;
  elapsedMs: number;
}

export interface IngestSummary {
  /** Messages read and parsed in this run. */
  messages: number;
  /** Of those, new to the store. */
  inserted: number;
  /** Of those, already in the store (same Message-ID or synthetic id). */
  duplicates: number;
  /** Threads in the store after the run. */
  threads: number;
  ghosts: number;
  skipped: Skip[];
  /** Inputs that could not be read at all (the CLI exits non-zero when there are any). */
  unreadable: { path: string; reason: string }[];
  archives: ArchiveRecord[];
  bytes: number;
  elapsedSeconds: number;
  messagesPerSecond: number;
  /** What the derive stage wrote (null when it was switched off). */
  derived: DeriveSummary | null;
  /** What the claims stage wrote: claims, links, runs and verdicts (null when derive or claims were switched off). */
  claims: ClaimDeriveSummary | null;
}

interface SourceTally {
  format: SourceFormat;
  bytes: number;
  messages: number;
  duplicates: number;
  skipped: number;
  truncated: boolean;
}

/** Paths that cannot be read at all are reported, not thrown: the other inputs still go in. */
async function checkReadable(paths: string[]): Promise<{ ok: string[]; bad: { path: string; reason: string }[] }> {
  const ok: string[] = [];
  const bad: { path: string; reason: string }[] = [];
  for (const p of paths) {
    if (p === '-') {
      ok.push(p);
      continue;
    }
    try {
      await stat(p);
      ok.push(p);
    } catch (err) {
      bad.push({ path: p, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return { ok, bad };
}

/**
 * Parser workers and how far parsing may run ahead of the store. Without the derive stage the run
 * is held to its memory budget (ingest alone stays under 300 MB on the 92k-message
 * linux-arm-kernel epoch): the default workers and a narrow window. With it, the derive stage's
 * peak (over 1 GB there) dwarfs what parsing holds, so parsing gets the derive stage's workers and
 * a window of a whole store batch: the workers go on parsing while this thread writes a batch,
 * where a narrow window left them idle for most of each write. Measured back to back on that epoch
 * (ingest --no-claims): 717 msgs/s before, 771 after, at the same 175 CPU-s; derive off, the wide
 * window alone gave 1,774 → 1,998-2,100 msgs/s but 265 → 288-294 MB, so it is not used there.
 */
export function parsePlan(derive: boolean, batchSize: number, asked: number | undefined): { workers: number; window: number } {
  const workers = asked ?? (derive ? defaultStageWorkers() : defaultParseWorkers());
  return { workers, window: derive ? batchSize + 64 : Math.max(8, workers * 16) };
}

export async function ingest(paths: string[], store: GraphStore, opts: IngestOptions = {}): Promise<IngestSummary> {
  const started = Date.now();
  const batchSize = opts.batchSize ?? 500;
  const { ok, bad } = await checkReadable(paths);
  const skipped: Skip[] = [];
  const tallies = new Map<string, SourceTally>();
  const tally = (source: string, format: SourceFormat): SourceTally => {
    let t = tallies.get(source);
    if (!t) {
      t = { format, bytes: 0, messages: 0, duplicates: 0, skipped: 0, truncated: false };
      tallies.set(source, t);
    }
    return t;
  };
  let messages = 0;
  let inserted = 0;
  let duplicates = 0;
  let bytesRead = 0;
  let bytesTotal: number | null = null;
  const progressBySource = new Map<string, SourceProgress>();

  const report = (): void => {
    opts.onProgress?.({ messages, bytesRead, bytesTotal, elapsedMs: Date.now() - started });
  };

  let batch: Message[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const toWrite = batch;
    batch = [];
    const res = await store.putMessages(toWrite);
    inserted += res.inserted;
    duplicates += res.duplicates;
    if (res.duplicates > 0) {
      // One entry per duplicate occurrence; within a batch the first occurrence is the one
      // inserted, so the duplicates are the last ones.
      const left = new Map<string, number>();
      for (const id of res.duplicateMsgids) left.set(id, (left.get(id) ?? 0) + 1);
      for (let i = toWrite.length - 1; i >= 0; i--) {
        const m = toWrite[i];
        const n = left.get(m.msgid);
        if (!n) continue;
        left.set(m.msgid, n - 1);
        tally(m.provenance.source, m.provenance.format).duplicates++;
      }
    }
  };
  const accept = async (m: Message): Promise<void> => {
    messages++;
    tally(m.provenance.source, m.provenance.format).messages++;
    batch.push(m);
    if (batch.length >= batchSize) await flush();
    if (messages % 200 === 0) report();
  };
  const onSkip = (s: Skip): void => {
    skipped.push(s);
    const t = tallies.get(s.source);
    if (t) {
      t.skipped++;
      if (/truncated/i.test(s.reason)) t.truncated = true;
    }
  };

  // Parsing runs ahead of the store by a bounded window, in input order.
  const plan = parsePlan(opts.derive !== false, batchSize, opts.workers);
  const pool = createParserPool({ workers: plan.workers, maxInFlight: plan.window });
  const window: { item: RawItem & { kind: 'rfc822' }; parsed: Promise<Message> }[] = [];
  const drainOne = async (): Promise<void> => {
    const { item, parsed } = window.shift()!;
    try {
      await accept(await parsed);
    } catch (err) {
      onSkip({
        source: item.provenance.source,
        offset: item.provenance.offset,
        reason: `unparseable message: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  };

  try {
    const onProgress = (p: SourceProgress): void => {
      progressBySource.set(p.source, p);
      bytesRead = 0;
      let total = 0;
      let known = true;
      for (const v of progressBySource.values()) {
        bytesRead += v.bytesRead;
        if (v.bytesTotal === null) known = false;
        else total += v.bytesTotal;
      }
      bytesTotal = known ? total : null;
    };
    // One path at a time, so a path that turns out unreadable is reported and the rest go on.
    for (const path of ok) {
      try {
        for await (const item of readSources([path], { format: opts.format, onSkip, onProgress })) {
          if (item.kind === 'message') {
            while (window.length) await drainOne();
            tally(item.message.provenance.source, item.message.provenance.format);
            await accept(item.message);
            continue;
          }
          tally(item.provenance.source, item.provenance.format);
          window.push({ item, parsed: pool.parse(item.bytes, item.provenance) });
          if (window.length >= plan.window) await drainOne();
        }
      } catch (err) {
        if (!(err instanceof SourceError)) throw err;
        bad.push({ path, reason: err.message });
      }
    }
    while (window.length) await drainOne();
    await flush();
  } finally {
    await pool.close();
  }
  report();
  // The stores may leave full-text indexing out of the message batches (a bulk load indexes
  // faster in a few large steps); everything stored is made searchable here, before threading.
  await store.indexForSearch();

  // Sources that produced nothing but skips still get an archive record.
  for (const s of skipped) if (!tallies.has(s.source)) tally(s.source, opts.format ?? 'mbox').skipped++;
  for (const [source, p] of progressBySource) {
    const t = tallies.get(source);
    if (t) t.bytes = p.bytesTotal ?? p.bytesRead;
  }

  const archives: ArchiveRecord[] = [];
  const now = new Date().toISOString();
  for (const [source, t] of tallies) {
    const rec: ArchiveRecord = { source, ingestedAt: now, ...t };
    archives.push(rec);
    await store.putArchive(rec);
  }
  if (skipped.length) await store.putSkips(skipped);

  const threading = await rethread(store);
  const derived = opts.derive === false ? null : await derive(store, { batchSize, workers: opts.workers });
  const claims = derived && opts.claims !== false ? await deriveClaims(store, { batchSize, workers: opts.workers }) : null;
  const elapsedSeconds = (Date.now() - started) / 1000;
  return {
    messages,
    inserted,
    duplicates,
    threads: threading.threads,
    ghosts: threading.ghosts,
    skipped,
    unreadable: bad,
    archives,
    bytes: bytesRead,
    elapsedSeconds,
    messagesPerSecond: elapsedSeconds > 0 ? messages / elapsedSeconds : messages,
    derived,
    claims,
  };
}

/** Recompute the thread forest over every stored message. Records are threaded as they are read
 * and the containers kept in a scratch database with a bounded cache (ingest/thread/disk.ts), and
 * the forest is streamed from it into the store: memory does not grow with the archive. */
export async function rethread(store: GraphStore): Promise<{ threads: number; ghosts: number }> {
  const threader = new DiskThreader();
  try {
    for await (const r of store.threadingRecords()) threader.add(r);
    const result = threader.finish();
    await store.replaceThreadForest(result.forest);
    return { threads: result.threads, ghosts: result.ghosts };
  } finally {
    threader.close();
  }
}
