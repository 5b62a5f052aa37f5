// Concern lifecycle across a review: a concern raised on a patch is answered (the patch author
// replies to it), acknowledged ("will fix", "will respin", "good catch"), disputed (the author
// disagrees), addressed (what it is about changed in the next revision's diff, read through the
// series lineage), or still open. Pure functions over the messages, their claims, the thread tree
// and the series analysis; every state carries the events and evidence that made it.
import { CUES, hasConcernEvidence, type Claim } from '../claims/index.js';
import type { Message } from '../../ingest/model.js';
import { ancestorsOf, type ParentLookup } from '../../ingest/thread/ancestors.js';
import { analyzeSeries, diffShape, sameSender, type SeriesAnalysis } from '../../ingest/series/index.js';
import type { ConcernLifecycle, ConcernState, LifecycleEvent, LifecycleOptions, MessageClaim, PatchRef } from './types.js';

const ACK = /\bwill (?:fix|respin|re-?spin|update|change|rework|send (?:a |an )?(?:v\d|new|updated|fixed)|drop|address)\b|\bI'?ll (?:fix|respin|update|change|rework|send|drop|address)\b|\bgood (?:catch|eye|point)\b|\byou(?:'re| are) right\b|\bfixed (?:in|for) v\d|\bwill do\b|\bthanks for (?:catching|spotting|pointing)/i;
const DISPUTE = /\bI (?:don'?t|do not) (?:think|agree|see (?:why|how|a problem))\b|\bnot (?:true|correct|a problem|an issue)\b|\bdisagree\b|\bthat'?s (?:fine|intended|expected|on purpose)\b|\bis (?:fine|safe|intended) (?:as is|here)\b|\bthis is intentional\b/i;

/** A claim a reviewer could expect an answer to: a concern, a question, or a statement of a defect about named code. */
export function isConcern(c: MessageClaim): boolean {
  const { claim } = c;
  if (claim.origin !== 'own') return false;
  if (claim.kind === 'concern' || claim.kind === 'nak') return true;
  if (claim.kind === 'agreement') return false;
  const named = claim.entities.length > 0;
  return named && (hasConcernEvidence(claim.text) || CUES.problem.test(claim.text) || (claim.kind === 'question' && CUES.question.test(claim.text)));
}

/** parent msgid of each message: In-Reply-To, else the last Reference, else the parent inferred for a header-less dump. */
export function threadParents(messages: readonly Message[]): Map<string, string> {
  const ids = new Set(messages.map((m) => m.msgid));
  const out = new Map<string, string>();
  for (const m of messages) {
    const p = [m.inReplyTo, m.references.at(-1), m.inferredParent?.parent].find((x) => x && ids.has(x));
    if (p) out.set(m.msgid, p);
  }
  return out;
}

/** Every ancestor, however far up (ancestors.ts's walk without its bound). */
function ancestors(msgid: string, parents: ParentLookup): string[] {
  return ancestorsOf(parents, msgid, Infinity);
}

const norm = (s: string): string => s.replace(/^\s?(?:>\s?)*/gm, '').replace(/\s+/g, ' ').trim();

/** Lines the reply wrote right under the quote ending at `quoteEnd`: up to the next quoted line. */
function writtenUnder(reply: Message, quoteEnd: number): [number, number] {
  const lines = reply.body.split('\n');
  let end = quoteEnd;
  while (end + 1 < lines.length && !/^\s?>/.test(lines[end + 1]) && !/^-- ?$/.test(lines[end + 1])) end++;
  return [quoteEnd + 1, end];
}

/** A reply without the concern quoted (top-posting): its unquoted text before any signature. */
function ownRange(reply: Message): [number, number] {
  const lines = reply.body.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '' && !/^\s?>/.test(l));
  let end = first;
  while (end + 1 < lines.length && !/^\s?>/.test(lines[end + 1]) && !/^-- ?$/.test(lines[end + 1])) end++;
  return first < 0 ? [0, -1] : [first, end];
}

/**
 * Lines [start, end] of the quoted block of `reply` that ends with the concern's text (what the
 * reply's next lines answer), or null. A block holding the concern followed by more quoted text
 * does not count: the reply answers that later text.
 */
function quotedBlockOf(reply: Message, concern: Claim): [number, number] | null {
  const lines = reply.body.split('\n');
  const want = norm(concern.text);
  const head = want.slice(0, 40);
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s?>/.test(lines[i])) continue;
    let end = i;
    while (end + 1 < lines.length && /^\s?>/.test(lines[end + 1])) end++;
    const text = norm(lines.slice(i, end + 1).join('\n'));
    const at = text.lastIndexOf(head);
    if (at >= 0 && text.slice(at + want.length).replace(/[^A-Za-z]/g, '').length <= 20) return [i, end];
    i = end;
  }
  return null;
}

function patchRefFor(m: Message, series: SeriesAnalysis, byId: ReadonlyMap<string, Message>, parents: ParentLookup, claimText: string): PatchRef | null {
  const link = series.grouping.comments.find((c) => c.msgid === m.msgid);
  const findRev = (id: string) => series.series.flatMap((s) => s.revisions).find((r) => r.revision.id === id);
  const named = /\bpatch\s*(?:#\s*)?(\d+)(?:\s*\/\s*\d+)?\b/i.exec(claimText);
  if (link) {
    const rev = findRev(link.revision);
    if (rev) {
      const idx = named ? Number(named[1]) : (rev.revision.patches.find((p) => p.key === link.target)?.index ?? null);
      const member = named ? (rev.revision.patches.find((p) => p.index === idx) ?? null) : (rev.revision.patches.find((p) => p.key === link.target) ?? null);
      return { revision: rev.key, revisionId: rev.revision.id, version: rev.revision.version, index: idx, member: member?.key ?? null, author: rev.revision.author, title: member?.title ?? rev.revision.title, evidence: named ? `the concern names patch ${named[1]}; ${link.evidence}` : link.evidence };
    }
  }
  const root = [m.msgid, ...ancestors(m.msgid, parents)].map((id) => byId.get(id)).find((x) => x && x.subject.isPatch && !x.subject.isReply);
  if (!root) return null;
  return { revision: null, revisionId: null, version: root.subject.version ?? 1, index: named ? Number(named[1]) : root.subject.index, member: root.msgid, author: root.from, title: root.subject.normalized, evidence: `the thread's patch mail ${root.msgid}` };
}

/** The successor of a patch in the next revision, through the lineage, with both diffs. */
function nextPatch(ref: PatchRef, series: SeriesAnalysis, byId: ReadonlyMap<string, Message>): { from: Message | undefined; to: Message | undefined; toRevision: string; evidence: string } | null {
  if (!ref.member) return null;
  const link = series.lineage.find((l) => l.from === ref.member);
  if (!link) return null;
  return { from: byId.get(ref.member), to: byId.get(link.to), toRevision: link.toRevision, evidence: `${link.rule}: ${link.evidence}` };
}

/** Changed lines of a diff that mention one of `names`. */
function touchedLines(m: Message | undefined, names: readonly string[]): Set<string> | null {
  const shape = diffShape(m);
  if (!shape) return null;
  const out = new Set<string>();
  for (const l of shape.lines) if (names.some((n) => l.includes(n))) out.add(l);
  for (const f of shape.functions) if (names.includes(f)) out.add(`@@ ${f}`);
  return out;
}

function addressedEvent(concern: MessageClaim, ref: PatchRef | null, series: SeriesAnalysis, byId: ReadonlyMap<string, Message>): LifecycleEvent | { missing: string } {
  if (!ref) return { missing: 'the concern is not tied to a patch of a series' };
  const next = nextPatch(ref, series, byId);
  if (!next) return { missing: `no later revision of ${ref.title} in the archive` };
  // Each name once: a build log names one file on every line.
  const names = [...new Set(concern.claim.entities.filter((e) => e.kind !== 'literal').map((e) => e.name))];
  const before = touchedLines(next.from, names);
  const after = touchedLines(next.to, names);
  if (!before || !after) return { missing: `the next revision (${next.toRevision}) is known, but ${!before ? 'the reviewed' : 'its'} diff is not in the archive` };
  const changed = [...after].filter((l) => !before.has(l)).concat([...before].filter((l) => !after.has(l)));
  if (names.length === 0 || changed.length === 0) return { missing: `the next revision's diff does not change ${names.length ? names.join(', ') : 'what the concern names'}` };
  return { kind: 'addressed', msgid: next.to?.msgid ?? '', by: next.to?.from.name ?? null, date: next.to?.date ?? null, text: changed.slice(0, 4).join('\n'), evidence: `lineage ${next.evidence}; lines on ${names.join(', ')} changed` };
}

/** The lifecycle of every concern among `claims`. */
export function concernLifecycles(messages: readonly Message[], claims: readonly MessageClaim[], opts: LifecycleOptions = {}): ConcernLifecycle[] {
  const select = opts.isConcern ?? isConcern;
  // Most groups raise no concern: the series analysis of the group is only made when one does.
  if (!claims.some(select)) return [];
  const byId = new Map(messages.map((m) => [m.msgid, m]));
  const parents = opts.parents ?? threadParents(messages);
  // The lifecycle reads revisions and lineage, never trailer attributions.
  const series = opts.series ?? analyzeSeries(messages, { trailers: false });
  const claimsByMsg = new Map<string, Claim[]>();
  for (const c of claims) claimsByMsg.set(c.message.msgid, [...(claimsByMsg.get(c.message.msgid) ?? []), c.claim]);
  const out: ConcernLifecycle[] = [];
  for (const concern of claims.filter(select)) {
    const ref = patchRefFor(concern.message, series, byId, parents, concern.claim.text);
    const author = ref?.author ?? null;
    if (author && sameSender(author, concern.message.from)) continue; // the author's own remarks are not review concerns
    const events: LifecycleEvent[] = [];
    const replies = messages
      .filter((m) => ancestors(m.msgid, parents).includes(concern.message.msgid) && sameSender(author, m.from))
      .sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''));
    for (const reply of replies) {
      const block = quotedBlockOf(reply, concern.claim);
      // A direct reply that quotes nothing (top-posting) answers the message as a whole.
      const topPosted = ancestors(reply.msgid, parents)[0] === concern.message.msgid && !/^\s?>/m.test(reply.body);
      if (!block && !topPosted) continue;
      const range = block ? writtenUnder(reply, block[1]) : ownRange(reply);
      const text = norm(reply.body.split('\n').slice(range[0], range[1] + 1).join('\n'));
      if (!text) continue;
      const said = (claimsByMsg.get(reply.msgid) ?? []).filter((c) => c.origin === 'own' && c.lines.start >= range[0] && c.lines.end <= range[1]);
      const base = { msgid: reply.msgid, by: reply.from.name ?? reply.from.address, date: reply.date };
      const ack = ACK.exec(text)?.[0];
      const dispute = !ack && (said.some((c) => c.stance === 'disagrees') || DISPUTE.test(text)) ? (DISPUTE.exec(text)?.[0] ?? said.find((c) => c.stance === 'disagrees')?.text ?? '') : null;
      if (ack) events.push({ kind: 'acknowledged', ...base, text, evidence: `the patch author says "${ack}"${block ? ' under the quoted concern' : ''}` });
      else if (dispute) events.push({ kind: 'disputed', ...base, text, evidence: `the patch author disagrees ("${dispute}")` });
      else events.push({ kind: 'answered', ...base, text, evidence: block ? 'the patch author replies under the quoted concern' : 'the patch author replies to the message' });
    }
    const addressed = addressedEvent(concern, ref, series, byId);
    if ('kind' in addressed) events.push(addressed);
    const state = stateOf(events);
    const why = state === 'addressed' ? events.find((e) => e.kind === 'addressed')?.evidence ?? '' : [events.filter((e) => e.kind === state).at(-1)?.evidence, 'missing' in addressed ? `not shown addressed: ${addressed.missing}` : null].filter(Boolean).join('; ') || 'no reply from the patch author';
    out.push({
      concern: { claimId: concern.claim.id, msgid: concern.message.msgid, text: concern.claim.text, by: concern.message.from.name ?? concern.message.from.address, date: concern.message.date, patch: ref },
      state,
      events,
      why,
    });
  }
  return out;
}

function stateOf(events: readonly LifecycleEvent[]): ConcernState {
  if (events.some((e) => e.kind === 'addressed')) return 'addressed';
  const stance = events.filter((e) => e.kind === 'acknowledged' || e.kind === 'disputed').at(-1);
  if (stance) return stance.kind as ConcernState;
  return events.some((e) => e.kind === 'answered') ? 'answered' : 'open';
}
