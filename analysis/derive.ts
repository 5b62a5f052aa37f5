// The claims stage of ingest: after threading and the patch graph, every stored message's claims
// are extracted, read in their thread, linked to checks, the checks run on the model, and all of
// it stored (graph/claims.ts). Called by ingest() after the derive stage; re-running replaces
// what it wrote, so it is idempotent.
//
// Messages are taken a thread-subject group at a time (the group analysis/checks reads as one
// thread: the patch under review, its date and architecture), so memory holds one group, the
// header index and an LRU of ancestor bodies. Claims come from a message's own text; from its
// quoted text only where the quoted words are in no stored ancestor (the claimant's mail is not
// in the archive, as in seeds 001 and 004), once per text, with the quoted author when the
// attribution line names one.
import { Lru, MAX_KNOWN_QUOTES } from '../ingest/thread/ancestors.js';
import { ForestIndex } from '../ingest/thread/forestIndex.js';
import type { GraphStore } from '../graph/store.js';
import type { ClaimBatch, ClaimRecord, ClaimStatusRecord, VerdictValue } from '../graph/claims.js';
import type { SeriesRecord } from '../graph/patches.js';
import type { StoredMessage } from '../graph/store.js';
import type { Claim } from './claims/index.js';
import { claimContext, linkClaim, threadContexts } from './checks/index.js';
import { handle as handleClaim, normalText, type ClaimTask, type ClaimTaskResult } from './claimTask.js';
import { createTaskPool, workersFor } from '../ingest/workers/taskPool.js';
import { MARKERS_MAY_BE_LOST } from '../ingest/derive/message.js';
import { VerdictCache, verdictRecords } from './claimRecords.js';
import { concernLifecycles } from './lifecycle/index.js';

export interface ClaimDeriveOptions {
  /** Messages per store transaction (default 500). */
  batchSize?: number;
  /** Worker threads extracting claims (default: taskPool's; 0 = this thread). */
  workers?: number;
}

/**
 * Young-generation limit of the extraction workers in MB. Claims stage alone on the 92k-message
 * linux-arm-kernel epoch, RSS sampled every 0.2 s (2026-11-22): V8's default 435 and 447 MB peak
 * (233, 245 CPU-s); 16 MB 414 and 418 MB (251, 241 CPU-s); 8 MB 395 MB but 262 CPU-s, so 16.
 */
const WORKER_YOUNG_MB = 16;

/** Groups read and extracted ahead of the one being finished. */
const LOOKAHEAD = 16;

interface MessageExtraction {
  m: StoredMessage;
  result: ClaimTaskResult;
  /** Its stored ancestors' bodies as normalText() gives them (only when it quotes). */
  normalAncestors: string[];
}

interface GroupRead {
  messages: StoredMessage[];
  byId: Map<string, StoredMessage>;
  extractions: MessageExtraction[];
}

export interface ClaimDeriveSummary {
  messages: number;
  claims: number;
  /** Of those, read from quoted text whose author's mail is not stored. */
  quoted: number;
  links: number;
  /** Distinct runs of the model stored (check + variant + params). */
  runs: number;
  /** Claims whose runs were already made for another claim with the same plan. */
  reusedRuns: number;
  verdicts: Record<VerdictValue, number>;
  /** Review concerns given a lifecycle status (analysis/lifecycle), by status. */
  statuses: Record<string, number>;
  /** Time (on the calling thread) spent reading, segmenting and extracting or waiting for the
   * workers that do, linking and running checks, and in total. */
  extractSeconds: number;
  checkSeconds: number;
  seconds: number;
}

interface Place {
  series: string;
  revision: string;
  patch: string;
}

const titleKey = (title: string): string => title.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * Where a message sits in the series graph: its own patch or cover mail, the nearest one up its
 * thread, else the patch its subject names (title, version and n/m: a reply whose patch mail is not
 * in the archive), else the series of that title when it has one revision of that version.
 */
class Places {
  private readonly byMsgid = new Map<string, Place>();
  private readonly bySubject = new Map<string, Place | null>();

  private constructor() {}

  /** Built from every stored series, read a page at a time (lineage and trailers are not needed). */
  static async of(series: AsyncIterable<SeriesRecord>): Promise<Places> {
    const places = new Places();
    for await (const s of series) places.addSeries(s);
    return places;
  }

  private addSeries(s: SeriesRecord): void {
    const add = (k: string, p: Place): void => {
      // A subject two series share names neither.
      this.bySubject.set(k, this.bySubject.has(k) && this.bySubject.get(k)?.patch !== p.patch ? null : p);
    };
    for (const r of s.revisions) {
      const members = [...(r.cover ? [r.cover] : []), ...r.patches];
      for (const m of members) {
        const place = { series: s.key, revision: r.key, patch: m.key };
        if (m.msgid && !this.byMsgid.has(m.msgid)) this.byMsgid.set(m.msgid, place);
        add(`${titleKey(m.title)}|${r.version}|${m.index ?? ''}`, place);
      }
      add(`${titleKey(s.title)}|${r.version}|`, { series: s.key, revision: r.key, patch: r.cover?.key ?? r.patches[0]?.key ?? r.key });
    }
  }

  of(m: StoredMessage, ancestors: readonly string[]): Place | null {
    for (const id of [m.msgid, ...ancestors]) {
      const p = this.byMsgid.get(id);
      if (p) return p;
    }
    const s = m.subject;
    const version = s.version ?? 1;
    return this.bySubject.get(`${titleKey(s.normalized)}|${version}|${s.index ?? ''}`) ?? this.bySubject.get(`${titleKey(s.normalized)}|${version}|`) ?? null;
  }
}

export async function deriveClaims(store: GraphStore, opts: ClaimDeriveOptions = {}): Promise<ClaimDeriveSummary> {
  const started = performance.now();
  const batchSize = opts.batchSize ?? 500;
  const summary: ClaimDeriveSummary = {
    messages: 0, claims: 0, quoted: 0, links: 0, runs: 0, reusedRuns: 0,
    verdicts: { confirmed: 0, refuted: 0, inconclusive: 0, unchecked: 0 },
    statuses: {}, extractSeconds: 0, checkSeconds: 0, seconds: 0,
  };

  // Header-level indexes: thread parents and roots, subject groups, series places.
  const forest = await ForestIndex.of(store.allThreadAssignments(), { roots: true });
  const groups = new Map<string, string[]>();
  for await (const r of store.threadingRecords()) {
    const key = r.normalizedSubject.toLowerCase();
    const g = groups.get(key);
    if (g) g.push(r.msgid);
    else groups.set(key, [r.msgid]);
  }
  const places = await Places.of(store.patches.eachSeries());
  const ancestorsOf = (msgid: string): string[] => forest.ancestors(msgid);
  const bodies = new Lru<string | null>(256);
  /** Ancestor bodies as normalText() gives them, for the are-these-words-stored test. */
  const normalBodies = new Lru<string>(256);
  const bodyOf = async (msgid: string, group: ReadonlyMap<string, StoredMessage>): Promise<string | null> => {
    const inGroup = group.get(msgid);
    if (inGroup) return inGroup.body;
    let b = bodies.get(msgid);
    if (b === undefined) {
      b = forest.has(msgid) ? await store.messageBody(msgid) : null;
      bodies.set(msgid, b);
    }
    return b;
  };

  const cache = new VerdictCache();
  const runKeys = new Set<string>();
  /** Quoted texts already stored once (normalised). */
  const quotedSeen = new Set<string>();
  let pending: ClaimBatch = { msgids: [], claims: [], links: [], runs: [], verdicts: [] };
  let pendingStatuses: ClaimStatusRecord[] = [];
  const flush = async (): Promise<void> => {
    if (pending.msgids.length === 0) return;
    await store.claims.replaceClaims(pending);
    await store.claims.putClaimStatuses(pendingStatuses);
    pending = { msgids: [], claims: [], links: [], runs: [], verdicts: [] };
    pendingStatuses = [];
  };

  // Per-message extraction runs in worker threads (analysis/claimTask.ts).
  const pool = createTaskPool<ClaimTask, ClaimTaskResult>({ from: import.meta.url, handler: './claimTask', local: handleClaim, workers: workersFor(forest.size, opts.workers), youngMb: WORKER_YOUNG_MB });
  /** Round one reads own text; a message some of whose quoted words are in no stored ancestor
   * is read again with its quoted text (analysis/claimTask.ts). */
  const extractOne = async (m: StoredMessage, group: GroupRead): Promise<MessageExtraction> => {
    const ancestors = ancestorsOf(m.msgid);
    // A web-archive dump may have lost its quote markers: its ancestors' bodies tell the quotes.
    let known: string[] | undefined;
    if (MARKERS_MAY_BE_LOST.has(m.provenance.format)) {
      known = [];
      for (const a of ancestors) {
        const b = known.length < MAX_KNOWN_QUOTES ? await bodyOf(a, group.byId) : null;
        if (b !== null) known.push(b);
      }
      if (known.length === 0 && m.date) {
        known = group.messages.filter((o) => o !== m && o.date !== null && o.date < m.date!).map((o) => o.body).slice(0, MAX_KNOWN_QUOTES);
      }
    }
    const task: ClaimTask = { msgid: m.msgid, body: m.body, includeQuoted: false, ...(known ? { known } : {}) };
    const own = await pool.run(task);
    const normalAncestors: string[] = [];
    if (own.quotedTexts.length === 0) return { m, result: own, normalAncestors };
    for (const a of ancestors) {
      let n = normalBodies.get(a);
      if (n === undefined) {
        const b = await bodyOf(a, group.byId);
        n = b === null ? '' : normalText(b);
        normalBodies.set(a, n);
      }
      if (n !== '') normalAncestors.push(n);
    }
    const unresolved = own.quotedTexts.some((t) => !normalAncestors.some((b) => b.includes(t)));
    return { m, result: unresolved ? await pool.run({ ...task, includeQuoted: true }) : own, normalAncestors };
  };
  const readGroup = async (ids: string[]): Promise<GroupRead> => {
    const messages: StoredMessage[] = [];
    for (const id of ids) {
      const m = await store.message(id);
      if (m) messages.push(m);
    }
    const group: GroupRead = { messages, byId: new Map(messages.map((m) => [m.msgid, m])), extractions: [] };
    group.extractions = await Promise.all(messages.map((m) => extractOne(m, group)));
    return group;
  };

  /** Everything after extraction, one group at a time in order: quoted claims kept once, answers,
   * checks, places and concern lifecycles. */
  const finishGroup = async ({ messages, extractions }: GroupRead): Promise<void> => {
    const t1 = performance.now();
    const contexts = threadContexts(messages);
    const extracted: { m: StoredMessage; claim: Claim; quotedAuthor: string | null }[] = [];
    for (const { m, result, normalAncestors } of extractions) {
      summary.messages++;
      const inAncestor = (text: string): boolean => normalAncestors.some((b) => b.includes(text));
      result.claims.forEach((c, i) => {
        if (c.origin === 'own') {
          extracted.push({ m, claim: c, quotedAuthor: null });
          return;
        }
        const origin = result.origins[i];
        if (origin?.diff) return;
        const text = normalText(c.text);
        if (quotedSeen.has(text) || inAncestor(text)) return;
        quotedSeen.add(text);
        extracted.push({ m, claim: c, quotedAuthor: origin?.author ?? null });
      });
    }

    // ANSWERS: the claim of this group whose text is the quoted sentence a claim replies to.
    const byText = new Map<string, string>();
    for (const e of extracted) {
      const t = normalText(e.claim.text);
      if (!byText.has(t) || e.claim.origin === 'own') byText.set(t, e.claim.id);
    }
    const answered = (c: Claim): string | null => {
      if (!c.answers || c.answers.kind !== 'claim') return null;
      const t = normalText(c.answers.text);
      const exact = byText.get(t);
      if (exact && exact !== c.id) return exact;
      if (t.length < 20) return null;
      for (const [text, id] of byText) if (id !== c.id && (text.includes(t) || t.includes(text))) return id;
      return null;
    };

    for (const { m, claim, quotedAuthor } of extracted) {
      const thread = contexts.get(m.msgid);
      if (!thread) continue;
      const ctx = claimContext(claim, m, thread);
      const link = linkClaim(ctx);
      const verdict = cache.verdict(ctx, link);
      const recs = verdictRecords(link, verdict);
      const place = places.of(m, ancestorsOf(m.msgid));
      const record: ClaimRecord = {
        ...claim,
        quotedAuthor,
        answersClaim: answered(claim),
        thread: forest.rootOf(m.msgid) ?? null,
        series: place?.series ?? null,
        revision: place?.revision ?? null,
        patch: place?.patch ?? null,
        verdict: verdict.verdict,
        why: verdict.why,
      };
      pending.claims.push(record);
      pending.links.push(...recs.links);
      pending.runs.push(...recs.runs);
      pending.verdicts.push(...recs.verdicts);
      for (const r of recs.runs) runKeys.add(r.key);
      summary.claims++;
      if (claim.origin === 'quoted') summary.quoted++;
      summary.links += recs.links.length;
      summary.verdicts[verdict.verdict]++;
    }
    // Status of each review concern across the versions the group holds.
    for (const l of concernLifecycles(messages, extracted.map((e) => ({ claim: e.claim, message: e.m })), { parents: forest.parentLookup })) {
      pendingStatuses.push({ claimId: l.concern.claimId, status: l.state, why: l.why });
      summary.statuses[l.state] = (summary.statuses[l.state] ?? 0) + 1;
    }
    summary.checkSeconds += (performance.now() - t1) / 1000;
    pending.msgids.push(...messages.map((m) => m.msgid));
    if (pending.msgids.length >= batchSize) await flush();
  };

  // Groups are read and extracted ahead while earlier ones are finished here,
  // in order; at most LOOKAHEAD groups (or about as many messages as a batch) are held at once.
  try {
    // Every stored message's claims are written again below, each message once (graph/claims.ts).
    await store.claims.startExtraction();
    const ahead: { read: Promise<GroupRead>; size: number }[] = [];
    let held = 0;
    const finishNext = async (): Promise<void> => {
      const next = ahead.shift()!;
      held -= next.size;
      await finishGroup(await next.read);
    };
    for (const ids of groups.values()) {
      const read = readGroup(ids);
      read.catch(() => undefined); // awaited in order by finishNext
      ahead.push({ read, size: ids.length });
      held += ids.length;
      while (ahead.length > LOOKAHEAD || (ahead.length > 1 && held > batchSize)) await finishNext();
    }
    while (ahead.length > 0) await finishNext();
    await flush();
  } finally {
    await pool.close();
    await store.claims.finishExtraction();
  }
  summary.runs = runKeys.size;
  summary.reusedRuns = cache.hits;
  summary.seconds = (performance.now() - started) / 1000;
  summary.extractSeconds = Math.max(0, summary.seconds - summary.checkSeconds);
  return summary;
}
