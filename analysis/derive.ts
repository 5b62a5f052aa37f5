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
import { Lru, MAX_KNOWN_QUOTES, ancestorsOf as ancestorsIn } from '../ingest/thread/ancestors.js';
import type { GraphStore } from '../graph/store.js';
import type { ClaimBatch, ClaimRecord, ClaimStatusRecord, VerdictValue } from '../graph/claims.js';
import type { SeriesView } from '../graph/patches.js';
import type { StoredMessage } from '../graph/store.js';
import { extractClaims, loadClassifier, type Claim } from './claims/index.js';
import { claimContext, linkClaim, threadContexts } from './checks/index.js';
import { inputFromBody, type ClaimInputView } from './claimInput.js';
import { MARKERS_MAY_BE_LOST } from '../ingest/derive/message.js';
import { VerdictCache, verdictRecords } from './claimRecords.js';
import { concernLifecycles } from './lifecycle/index.js';

export interface ClaimDeriveOptions {
  /** Messages per store transaction (default 500). */
  batchSize?: number;
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
  /** Time spent segmenting and extracting, linking and running, and in total. */
  extractSeconds: number;
  checkSeconds: number;
  seconds: number;
}



/** Text compared without case, quote markers or whitespace differences. */
export function normalText(s: string): string {
  return s
    .split('\n')
    .map((l) => l.replace(/^\s?(?:>\s?)*/, ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
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

  constructor(series: SeriesView[]) {
    const add = (k: string, p: Place): void => {
      // A subject two series share names neither.
      this.bySubject.set(k, this.bySubject.has(k) && this.bySubject.get(k)?.patch !== p.patch ? null : p);
    };
    for (const s of series) {
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
  const parents = new Map<string, string>();
  const roots = new Map<string, string>();
  for await (const a of store.allThreadAssignments()) {
    roots.set(a.msgid, a.root);
    if (a.parent) parents.set(a.msgid, a.parent);
  }
  const groups = new Map<string, string[]>();
  for await (const r of store.threadingRecords()) {
    const key = r.normalizedSubject.toLowerCase();
    const g = groups.get(key);
    if (g) g.push(r.msgid);
    else groups.set(key, [r.msgid]);
  }
  const places = new Places(await store.patches.series());
  const ancestorsOf = (msgid: string): string[] => ancestorsIn(parents, msgid);
  const bodies = new Lru<string | null>(256);
  /** Ancestor bodies as normalText() gives them, for the are-these-words-stored test. */
  const normalBodies = new Lru<string>(256);
  const bodyOf = async (msgid: string, group: ReadonlyMap<string, StoredMessage>): Promise<string | null> => {
    const inGroup = group.get(msgid);
    if (inGroup) return inGroup.body;
    let b = bodies.get(msgid);
    if (b === undefined) {
      b = roots.has(msgid) ? ((await store.message(msgid))?.body ?? null) : null;
      bodies.set(msgid, b);
    }
    return b;
  };

  const classifier = loadClassifier();
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

  for (const ids of groups.values()) {
    const messages: StoredMessage[] = [];
    for (const id of ids) {
      const m = await store.message(id);
      if (m) messages.push(m);
    }
    const byId = new Map(messages.map((m) => [m.msgid, m]));
    const contexts = threadContexts(messages);
    const t0 = performance.now();
    const extracted: { m: StoredMessage; claim: Claim; quotedAuthor: string | null }[] = [];
    for (const m of messages) {
      summary.messages++;
      const ancestors = ancestorsOf(m.msgid);
      // Segmented here: the stored segmentation (store.patches.messageSegments) costs more to read
      // back than segmenting again (measured: 0.40 against 0.24 ms a message on SQLite). A
      // web-archive dump may have lost its quote markers: its ancestors' bodies tell the quotes.
      let known: string[] | undefined;
      if (MARKERS_MAY_BE_LOST.has(m.provenance.format)) {
        known = [];
        for (const a of ancestors) {
          const b = known.length < MAX_KNOWN_QUOTES ? await bodyOf(a, byId) : null;
          if (b !== null) known.push(b);
        }
        if (known.length === 0 && m.date) {
          known = messages.filter((o) => o !== m && o.date !== null && o.date < m.date!).map((o) => o.body).slice(0, MAX_KNOWN_QUOTES);
        }
      }
      const view: ClaimInputView = inputFromBody(m.msgid, m.body, known);
      const { input } = view;
      // Quoted text is read only where some block is found in no stored ancestor (the usual
      // reply quotes its stored parent, and then only its own words are read).
      const normalAncestors: string[] = [];
      if (input.quoted.length > 0) {
        for (const a of ancestors) {
          let n = normalBodies.get(a);
          if (n === undefined) {
            const b = await bodyOf(a, byId);
            n = b === null ? '' : normalText(b);
            normalBodies.set(a, n);
          }
          if (n !== '') normalAncestors.push(n);
        }
      }
      const inAncestor = (text: string): boolean => normalAncestors.some((b) => b.includes(text));
      const unresolved = input.quoted.some((b) => !inAncestor(normalText(b.text)));
      const claims = extractClaims(input, { includeQuoted: unresolved, classifier });
      for (const c of claims) {
        if (c.origin === 'own') {
          extracted.push({ m, claim: c, quotedAuthor: null });
          continue;
        }
        const origin = view.quoteAt(c.lines.start);
        if (origin?.diff) continue;
        const text = normalText(c.text);
        if (quotedSeen.has(text) || inAncestor(text)) continue;
        quotedSeen.add(text);
        extracted.push({ m, claim: c, quotedAuthor: origin?.author ?? null });
      }
    }
    const t1 = performance.now();
    summary.extractSeconds += (t1 - t0) / 1000;

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
        thread: roots.get(m.msgid) ?? null,
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
    for (const l of concernLifecycles(messages, extracted.map((e) => ({ claim: e.claim, message: e.m })), { parents })) {
      pendingStatuses.push({ claimId: l.concern.claimId, status: l.state, why: l.why });
      summary.statuses[l.state] = (summary.statuses[l.state] ?? 0) + 1;
    }
    summary.checkSeconds += (performance.now() - t1) / 1000;
    pending.msgids.push(...messages.map((m) => m.msgid));
    if (pending.msgids.length >= batchSize) await flush();
  }
  await flush();
  summary.runs = runKeys.size;
  summary.reusedRuns = cache.hits;
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}
