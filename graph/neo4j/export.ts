// Copying a store (normally the embedded SQLite one) into Neo4j — or into any GraphStore: the
// reads and writes are the contract's, so the same code copies SQLite into SQLite in tests.
//
// Order, each step idempotent (so an export killed anywhere is finished by running it again,
// without duplicates), each batch one transaction:
//   1. messages, with every source each was read from (batches), then made searchable
//      (GraphStore.indexForSearch);
//   2. archives and skips;
//   3. the thread forest (replaced in one transaction);
//   4. message derivations: segments, quotes, hunks, trailers (batches; comments wait for step 5,
//      since a comment's hunk may belong to a message of a later batch);
//   5. comments anchored to hunks (batches);
//   6. the series graph (replaced whole, as the derive stage writes it);
//   7. check runs (batches), before the claims whose verdict edges point at them;
//   8. claims with their links, verdict edges and statuses (batches).
// The next batch is read while the previous one is written (never more than one write in flight,
// so the order and the kill-safety above hold). Memory stays bounded by the batch size except for
// the forest and the series graph, which the contract writes whole (as ingest does).
import type { Message } from '../../ingest/model.js';
import type { GraphStore, StoredMessage } from '../store.js';

export type ExportPhase = 'messages' | 'derivations' | 'comments' | 'runs' | 'claims';

export interface ExportProgress {
  phase: ExportPhase;
  /** Batches committed in this phase so far. */
  batch: number;
  /** Records of this phase written so far (messages, derived messages, comments, runs, claims). */
  done: number;
  /** messages: how many of them were new to the target. */
  inserted?: number;
}

export interface ExportOptions {
  /** Messages per transaction, and records per transaction in the later phases (default 500). */
  batchSize?: number;
  /** Called after each committed batch. */
  onBatch?(progress: ExportProgress): void;
}

export interface ExportResult {
  batches: number;
  messages: number;
  /** Messages that were not in the target yet. */
  inserted: number;
  containers: number;
  archives: number;
  skips: number;
  /** Messages whose derivation (segments, quotes, hunks, trailers) was copied. */
  derivations: number;
  comments: number;
  series: number;
  runs: number;
  claims: number;
  statuses: number;
}

/** Check runs carry whole traces: fewer of them go in one transaction. */
const RUNS_PER_BATCH = 100;

/** The message once per source it was read from; the first copy carries its own provenance. */
function copiesWithSources(m: StoredMessage): Message[] {
  const { sources, ...message } = m;
  const copies: Message[] = [message];
  for (const s of sources) {
    const p = message.provenance;
    if (s.source === p.source && s.offset === p.offset) continue;
    copies.push({ ...message, provenance: { source: s.source, format: s.format, offset: s.offset } });
  }
  return copies;
}

/**
 * Writes each item in order, one write at a time, reading the next item while the previous write
 * is in flight: the source is read (and the next batch prepared) while the server commits, and at
 * most two batches are held.
 */
async function pipelined<T>(items: AsyncIterable<T>, write: (item: T) => Promise<void>): Promise<void> {
  let inFlight: Promise<void> | null = null;
  for await (const item of items) {
    if (inFlight) await inFlight;
    inFlight = write(item);
    // Its failure is taken up by the next await; until then it must not count as unhandled.
    inFlight.catch(() => {});
  }
  if (inFlight) await inFlight;
}

/** Stored messages in batches of `size`, each message once per source it was read from. */
async function* messageBatches(source: GraphStore, size: number): AsyncIterable<{ copies: Message[]; messages: number }> {
  let copies: Message[] = [];
  let messages = 0;
  for await (const m of source.allMessages()) {
    copies.push(...copiesWithSources(m));
    if (++messages >= size) {
      yield { copies, messages };
      copies = [];
      messages = 0;
    }
  }
  if (messages > 0) yield { copies, messages };
}

async function copyMessages(source: GraphStore, target: GraphStore, size: number, result: ExportResult, opts: ExportOptions): Promise<void> {
  await pipelined(messageBatches(source, size), async (batch) => {
    const res = await target.putMessages(batch.copies);
    result.batches++;
    result.messages += batch.messages;
    result.inserted += res.inserted;
    opts.onBatch?.({ phase: 'messages', batch: result.batches, done: result.messages, inserted: result.inserted });
  });
}

/** Runs `write` on each batch of `batches`, counting records and reporting progress. */
async function copyBatches<T>(
  phase: ExportPhase,
  batches: AsyncIterable<T[]>,
  write: (batch: T[]) => Promise<void>,
  opts: ExportOptions,
): Promise<number> {
  let n = 0;
  let done = 0;
  await pipelined(batches, async (batch) => {
    await write(batch);
    done += batch.length;
    opts.onBatch?.({ phase, batch: ++n, done });
  });
  return done;
}

/** The series graph is read whole and written in one transaction; it is let go once written. */
async function copySeriesGraph(source: GraphStore, target: GraphStore): Promise<number> {
  const graph = await source.patches.seriesGraph();
  await target.patches.replaceSeriesGraph([graph]);
  return graph.series.length;
}

export async function exportToNeo4j(source: GraphStore, target: GraphStore, opts: ExportOptions = {}): Promise<ExportResult> {
  const size = opts.batchSize ?? 500;
  const result: ExportResult = {
    batches: 0, messages: 0, inserted: 0, containers: 0, archives: 0, skips: 0,
    derivations: 0, comments: 0, series: 0, runs: 0, claims: 0, statuses: 0,
  };
  await copyMessages(source, target, size, result, opts);
  // Whatever full-text indexing the target left out of the message batches is done here.
  await target.indexForSearch();

  for (const a of await source.archives()) {
    await target.putArchive(a);
    result.archives++;
  }
  const skips = await source.skips();
  await target.putSkips(skips);
  result.skips = skips.length;

  // Streamed from the source as the target writes it; each iteration (a retried transaction
  // iterates again) reads the source's forest afresh.
  let containers = 0;
  await target.replaceThreadForest({
    async *[Symbol.asyncIterator]() {
      containers = 0;
      for await (const a of source.allThreadAssignments()) {
        containers++;
        yield a;
      }
    },
  });
  result.containers = containers;

  result.derivations = await copyBatches(
    'derivations',
    source.patches.derivationBatches(size),
    (batch) => target.patches.putMessageDerivations(batch.map((d) => ({ ...d, comments: [] }))),
    opts,
  );
  result.comments = await copyBatches('comments', source.patches.commentBatches(size), (batch) => target.patches.putComments(batch), opts);
  result.series = await copySeriesGraph(source, target);

  result.runs = await copyBatches(
    'runs',
    source.claims.runBatches(Math.min(size, RUNS_PER_BATCH)),
    (runs) => target.claims.putCheckRuns({ claims: [], links: [], runs, verdicts: [] }),
    opts,
  );
  let claimBatches = 0;
  await pipelined(source.claims.claimBatches(size), async (batch) => {
    const { statuses, ...claims } = batch;
    await target.claims.replaceClaims(claims);
    await target.claims.putClaimStatuses(statuses);
    result.claims += claims.claims.length;
    result.statuses += statuses.length;
    opts.onBatch?.({ phase: 'claims', batch: ++claimBatches, done: result.claims });
  });
  return result;
}
