// The derive stage: after threading, turn every stored message into the patch graph.
//
//  1. per message (streamed a batch at a time): segments, the message each quote comes from, its
//     patch hunks (body and attachments), the hunks it quotes with the comments under them, its
//     own-text trailers — written with putMessageDerivations; kept is only a digest for the series
//     steps (ingest/derive/digest.ts), in a scratch file (derive/digestStore.ts), and in memory
//     the (name, address) pairs seen;
//  2. over the whole store: identities, series grouping, versions, lineage, trailer attribution —
//     written with replaceSeriesGraph, a few hundred series at a time;
//  3. replies that quote hunks are anchored to the stored patch they reply to (nearest patch up
//     the thread, else the patch the series grouping attached them to): COMMENTS_ON with the line.
// Re-running replaces everything derived, so it is idempotent.
import { Lru, MAX_KNOWN_QUOTES } from './thread/ancestors.js';
import { ForestIndex } from './thread/forestIndex.js';
import type { GraphStore } from '../graph/store.js';
import type { CommentRecord, MessageDerivation, SeriesGraphPart } from '../graph/patches.js';
import type { Message } from './model.js';
import { resolveIdentities, type Observation } from './identity/index.js';
import { MARKERS_MAY_BE_LOST, carriesPatch, patchTextOf, type Author, type PatchText } from './derive/message.js';
import { handle as handleAnchor, type AnchorTask } from './derive/anchorTask.js';
import { handle as handleMessage, type MessageTask, type MessageTaskResult } from './derive/messageTask.js';
import { createTaskPool, workersFor } from './workers/taskPool.js';
import { memberMails, seriesStep, type SeriesStep } from './derive/series.js';
import { DigestStore } from './derive/digestStore.js';
import { collectGarbage } from './heapGrowth.js';

/**
 * Young-generation limit of the derive workers in MB. V8's default let each worker hold tens of MB
 * of short-lived strings between scavenges: derive alone on the 92k-message linux-arm-kernel epoch
 * peaked at 309-327 MB in the per-message pass with it and 264-267 MB with 8, in the same CPU time.
 */
const WORKER_YOUNG_MB = 8;

export interface DeriveOptions {
  /** Messages per read and per write transaction. */
  batchSize?: number;
  /** Worker threads for the per-message pass (default: min(2, cores); 0 = this thread). */
  workers?: number;
  /** Called after each batch of the per-message pass, after the series steps and as anchoring proceeds. */
  onProgress?: (p: { phase: 'messages' | 'series' | 'anchors'; done: number }) => void;
}

export interface DeriveSummary {
  messages: number;
  /** Messages carrying a patch (own diff or patch attachment). */
  patches: number;
  hunks: number;
  quotedHunks: number;
  /** COMMENTS_ON: comments anchored to a line of a stored patch's hunk, and to a quoted hunk. */
  patchComments: number;
  quotedComments: number;
  quotes: number;
  series: number;
  revisions: number;
  lineage: number;
  trailers: number;
  mismatchedTrailers: number;
  persons: number;
  seconds: number;
}

export async function derive(store: GraphStore, opts: DeriveOptions = {}): Promise<DeriveSummary> {
  // Every message is derived again: the store may load its per-message tables in bulk until
  // finishDerivations, which runs however the stage ends.
  await store.patches.startDerivations();
  try {
    return await deriveEverything(store, opts);
  } finally {
    await store.patches.finishDerivations();
  }
}

async function deriveEverything(store: GraphStore, opts: DeriveOptions): Promise<DeriveSummary> {
  const started = Date.now();
  const batchSize = opts.batchSize ?? 500;
  const patches = store.patches;

  // Parents (ghosts included) and the authors of stored messages, each Message-ID held once.
  const forest = await ForestIndex.of(store.allThreadAssignments());
  for await (const a of patches.authors()) forest.setAuthor(a.msgid, { name: a.name, address: a.address });
  const ancestorsOf = (msgid: string): string[] => forest.ancestors(msgid);
  const bodies = new Lru<string>(64);
  /** Bodies of the nearest stored ancestors, for a dump whose quote markers may be lost. */
  const knownQuotes = async (markersMayBeLost: boolean, ancestors: string[]): Promise<string[] | undefined> => {
    if (!markersMayBeLost) return undefined;
    const out: string[] = [];
    for (const a of ancestors) {
      if (out.length >= MAX_KNOWN_QUOTES) break;
      let body = bodies.get(a);
      if (body === undefined) {
        const stored = forest.authorOf(a) ? await store.messageBody(a) : null;
        if (stored === null) continue;
        body = stored;
        bodies.set(a, body);
      }
      out.push(body);
    }
    return out;
  };
  const messageTask = async (m: Message): Promise<MessageTask> => {
    const ancestors = ancestorsOf(m.msgid);
    const known = await knownQuotes(MARKERS_MAY_BE_LOST.has(m.provenance.format), ancestors);
    const seen: [string, Author][] = [];
    for (const a of ancestors) {
      const author = forest.authorOf(a);
      if (author) seen.push([a, author]);
    }
    return { message: m, ancestors, authors: seen, ...(known ? { knownQuotes: known } : {}) };
  };

  // 1. Per message.
  const summary: DeriveSummary = {
    messages: 0, patches: 0, hunks: 0, quotedHunks: 0, patchComments: 0, quotedComments: 0, quotes: 0,
    series: 0, revisions: 0, lineage: 0, trailers: 0, mismatchedTrailers: 0, persons: 0, seconds: 0,
  };
  const digests = new DigestStore();
  const observations = new Map<string, { o: Observation; n: number }>();
  const observe = (name: string | null, address: string | null, obfuscated = false): void => {
    if (!name && !address) return;
    const k = `${name ?? ''}\u0000${address ?? ''}\u0000${obfuscated ? 1 : 0}`;
    const e = observations.get(k);
    if (e) e.n++;
    else observations.set(k, { o: { name, address, obfuscated }, n: 1 });
  };
  const patchMsgids = new Set<string>();
  /** Messages that quote hunks, for the anchoring pass, and whether their quote markers may be lost. */
  const quoters: { msgid: string; markersMayBeLost: boolean }[] = [];
  const consume = async (batch: Message[], results: MessageTaskResult[]): Promise<void> => {
    const out: MessageDerivation[] = [];
    digests.addPacked(batch.map((m, i) => ({ msgid: m.msgid, date: m.date, packed: results[i].digest })));
    batch.forEach((m, i) => {
      const { derivation: d, quotesHunks } = results[i];
      out.push(d);
      for (const a of [m.from, ...m.to, ...m.cc]) observe(a.name, a.address, a.obfuscated);
      for (const t of d.trailers) observe(t.personName, t.personAddress);
      if (d.hunks.some((h) => h.kind === 'patch')) patchMsgids.add(m.msgid);
      if (quotesHunks) quoters.push({ msgid: m.msgid, markersMayBeLost: MARKERS_MAY_BE_LOST.has(m.provenance.format) });
      summary.messages++;
      summary.hunks += d.hunks.filter((h) => h.kind === 'patch').length;
      summary.quotedHunks += d.hunks.filter((h) => h.kind === 'quoted').length;
      summary.quotedComments += d.comments.length;
      summary.quotes += d.quotes.length;
    });
    await patches.putMessageDerivations(out);
    opts.onProgress?.({ phase: 'messages', done: summary.messages });
  };
  // The per-message work runs in worker threads; while one batch is derived there, the next is
  // read, and batches are written in the order they were read (the series steps see the same
  // digests in the same order whatever the number of workers).
  const pool = createTaskPool<MessageTask, MessageTaskResult>({ from: import.meta.url, handler: './derive/messageTask', local: handleMessage, workers: workersFor(forest.stored, opts.workers), youngMb: WORKER_YOUNG_MB });
  try {
    let previous: Promise<void> = Promise.resolve();
    for await (const batch of patches.messageBatches(batchSize)) {
      const results = Promise.all(batch.map(async (m) => pool.run(await messageTask(m))));
      results.catch(() => undefined); // a failure is raised below, where it is awaited in order
      await previous;
      previous = results.then((rs) => consume(batch, rs));
    }
    await previous;
  } catch (e) {
    digests.close(); // on success the series phase closes it
    throw e;
  } finally {
    await pool.close();
  }
  summary.patches = patchMsgids.size;

  // 2. Over the whole store. Only the reply -> patch links of the grouping outlive this step: the
  // grouping (a role for every message) and the digests are let go before anchoring.
  const linkedPatch = await seriesPhase(store, digests, observations, patchMsgids, summary, opts);
  // The grouping and the series graph are garbage now; the anchoring workers start next.
  collectGarbage();

  // 3. Replies quoting hunks, anchored to the stored patch they reply to (in worker threads). The
  // replies of a batch are sent a patch at a time, so each patch's diffs are copied to a worker
  // once, not once per reply; comments are written patch by patch, each in the order of the replies.
  // A patch's text is read once for the replies of a batch; its diffs are read in the worker.
  // (Read here, they were parsed on the main thread and copied to the worker as an object tree.)
  const patchTexts = new Lru<PatchText | null>(64);
  const tasksOf = async (batch: typeof quoters): Promise<AnchorTask[]> => {
    const byTarget = new Map<string, AnchorTask>();
    for (const { msgid, markersMayBeLost } of batch) {
      const ancestors = ancestorsOf(msgid);
      const target = ancestors.find((a) => patchMsgids.has(a)) ?? linkedPatch.get(msgid);
      if (!target || target === msgid) continue;
      let patch = patchTexts.get(target);
      if (patch === undefined) {
        const p = await store.message(target);
        patch = p && carriesPatch(p) ? patchTextOf(p) : null;
        patchTexts.set(target, patch);
      }
      if (patch === null) continue;
      // The reply's body alone: its headers were read in step 1.
      const body = await store.messageBody(msgid);
      if (body === null) continue;
      const known = await knownQuotes(markersMayBeLost, ancestors);
      let task = byTarget.get(target);
      if (!task) byTarget.set(target, (task = { target, patch, replies: [] }));
      task.replies.push({ msgid, body, ...(known ? { knownQuotes: known } : {}) });
    }
    return [...byTarget.values()];
  };
  const anchors = createTaskPool<AnchorTask, CommentRecord[]>({ from: import.meta.url, handler: './derive/anchorTask', local: handleAnchor, workers: workersFor(quoters.length, opts.workers), youngMb: WORKER_YOUNG_MB });
  try {
    // As in step 1: the next batch's tasks are read while the workers anchor this one.
    let previous: Promise<void> = Promise.resolve();
    for (let i = 0; i < quoters.length; i += batchSize) {
      const results: Promise<CommentRecord[]>[] = [];
      for (const task of await tasksOf(quoters.slice(i, i + batchSize))) {
        const r = anchors.run(task);
        r.catch(() => undefined); // raised by the Promise.all below
        results.push(r);
      }
      const found = Promise.all(results);
      found.catch(() => undefined); // a failure is raised below, where it is awaited in order
      await previous;
      previous = found.then(async (rs) => {
        const comments = rs.flat();
        summary.patchComments += comments.length;
        if (comments.length) await patches.putComments(comments);
        opts.onProgress?.({ phase: 'anchors', done: summary.patchComments });
      });
    }
    await previous;
  } finally {
    await anchors.close();
  }
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

/**
 * Step 2: identities, series grouping, versions, lineage and trailer attribution, written in parts
 * (derive/series.ts), so that the graph is never held whole; the digests are read until the last
 * part is made, then let go. Returns, for each reply the grouping attached to a stored patch, that
 * patch's msgid: of the grouping, only that outlives this step.
 */
async function seriesPhase(
  store: GraphStore,
  digests: DigestStore,
  observations: Map<string, { o: Observation; n: number }>,
  patchMsgids: ReadonlySet<string>,
  summary: DeriveSummary,
  opts: DeriveOptions,
): Promise<Map<string, string>> {
  const identities = resolveIdentities(
    (function* () {
      for (const { o, n } of observations.values()) for (let i = 0; i < n; i++) yield o;
    })(),
  );
  observations.clear();
  const linkedPatch = new Map<string, string>();
  try {
    const step = seriesStep(digests, identities);
    const patchMail = memberMails(step.grouping, { covers: false });
    for (const c of step.grouping.comments) {
      const target = patchMail.get(c.target);
      if (target && patchMsgids.has(target)) linkedPatch.set(c.msgid, target);
    }
    await store.patches.replaceSeriesGraph(counted(step, summary));
  } finally {
    digests.close();
  }
  opts.onProgress?.({ phase: 'series', done: summary.series });
  return linkedPatch;
}

/** The step's parts, re-iterable as the store contract asks, counted into the summary as they are written. */
function counted(step: SeriesStep, summary: DeriveSummary): Iterable<SeriesGraphPart> {
  return {
    *[Symbol.iterator]() {
      // A store that iterates again (a retried transaction) counts afresh.
      Object.assign(summary, { series: 0, revisions: 0, lineage: 0, trailers: 0, mismatchedTrailers: 0, persons: 0 });
      for (const part of step.parts()) {
        summary.series += part.series?.length ?? 0;
        summary.revisions += part.series?.reduce((n, s) => n + s.revisions.length, 0) ?? 0;
        summary.lineage += part.lineage?.length ?? 0;
        for (const t of part.trailers ?? []) {
          if (t.via !== 'own') summary.trailers++;
          if (t.status === 'mismatched') summary.mismatchedTrailers++;
        }
        summary.persons += part.persons?.length ?? 0;
        yield part;
      }
    },
  };
}
