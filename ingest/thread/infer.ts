// Header-less threading: recover the parent of messages that carry no usable In-Reply-To or
// References (text dumps of archives) from, in order of strength, the attribution line, the
// quoted text, and the dates. Every inferred link carries its method, a confidence and evidence.
import type { Message, ParentLink, ParentMethod } from '../model.js';
import { parentAttribution, type Attribution } from './attribution.js';
import {
  DATE_TOLERANCE_HOURS,
  dateInterval,
  describeInterval,
  gapHours,
  messageInterval,
  midpointHours,
  type TimeInterval,
} from './dateMatch.js';
import { addressMatchesName, nameMatch } from './names.js';
import { containment, minus, overlap, shingles, splitBody } from './quotes.js';

/** What inference needs to know about one message, computed once. */
export interface Prepared {
  msg: Message;
  index: number;
  attribution: Attribution | null;
  interval: TimeInterval | null;
  dayOnly: boolean;
  /** Shingles of the whole body (own and quoted). */
  full: Set<string>;
  /** Shingles of the quoted text; the whole body when the markers were lost. */
  quoted: Set<string>;
  /** Shingles of the own text; refined for lost-marker bodies once their parent is known. */
  own: Set<string>;
  lostMarkers: boolean;
}

/** Minimum share of a candidate's own text that must reappear in the reply's quote. */
const QUOTE_SUPPORT = 0.3;
/** Minimum number of shared shingles for quote evidence to count. */
const MIN_SHARED = 3;
/**
 * Shingle count above which a reply that quotes text, and a candidate that wrote text, but share
 * none of it are evidence against the link.
 */
const CONTRADICTION = 8;
/** Quote-only links (no attribution) need more of the candidate's text. */
const QUOTE_ONLY_SUPPORT = 0.6;

export function prepare(messages: Message[]): Prepared[] {
  return messages.map((msg, index) => {
    const parts = splitBody(msg.body);
    const own = shingles(parts.own);
    const quotedOnly = shingles(parts.quoted);
    const full = new Set<string>([...own, ...quotedOnly, ...shingles([...parts.own, ...parts.quoted])]);
    const interval = messageInterval(msg);
    const dayOnly = msg.dateRaw !== null && /^\s*\d{4}-\d{2}-\d{2}\s*$/.test(msg.dateRaw);
    return {
      msg,
      index,
      attribution: parentAttribution(msg.body),
      interval,
      dayOnly,
      full,
      quoted: parts.lostMarkers ? full : quotedOnly,
      own,
      lostMarkers: parts.lostMarkers,
    };
  });
}

/** Could `c` have been written before `m`? Unknown dates do not exclude. */
export function notLater(c: Prepared, m: Prepared): boolean {
  if (!c.msg.date || !m.msg.date) return true;
  if (c.dayOnly && m.dayOnly) return c.msg.date.slice(0, 10) <= m.msg.date.slice(0, 10);
  if (!c.interval || !m.interval) return true;
  return c.interval.lo <= m.interval.hi + DATE_TOLERANCE_HOURS * 3_600_000;
}

interface Scored {
  c: Prepared;
  ratio: number;
  shared: number;
}

/** Candidates whose own text reappears in `m`'s quote, best first, without their own ancestors. */
export function quoteSupport(m: Prepared, cands: Prepared[], minRatio: number): Scored[] {
  const supported: Scored[] = [];
  for (const c of cands) {
    if (c.own.size === 0) continue;
    const shared = overlap(c.own, m.quoted);
    const ratio = shared / c.own.size;
    if (shared >= MIN_SHARED && ratio >= minRatio) supported.push({ c, ratio, shared });
  }
  // A candidate whose own text another supported candidate quotes is that one's ancestor: the
  // reply quotes it only through the later message.
  const isAncestor = (x: Scored, y: Scored) =>
    containment(x.c.own, y.c.full) >= 0.5 && containment(y.c.own, x.c.full) < 0.5;
  const kept = supported.filter((x) => !supported.some((y) => y !== x && isAncestor(x, y)));
  kept.sort((a, b) => b.ratio - a.ratio || b.shared - a.shared);
  return kept;
}

function who(p: Prepared): string {
  const name = p.msg.from.name ?? p.msg.from.address ?? 'unknown author';
  const day = p.msg.dateRaw ?? p.msg.date ?? 'undated';
  return `${name} (${day}, ${p.msg.subject.raw ? `"${p.msg.subject.raw.slice(0, 60)}"` : 'no subject'}, line ${p.msg.provenance.line ?? '?'})`;
}

function link(parent: Prepared, method: ParentMethod, confidence: number, evidence: string): ParentLink {
  return { parent: parent.msg.msgid, method, confidence: Math.max(0, Math.min(1, confidence)), evidence };
}

function sameTopic(a: Prepared, b: Prepared): boolean {
  const x = a.msg.subject.normalized.toLowerCase();
  const y = b.msg.subject.normalized.toLowerCase();
  return x.length > 0 && x === y;
}

/** Infer the parent of one message among `pool` (the other messages of the same dump). */
export function inferParent(m: Prepared, pool: Prepared[]): ParentLink | null {
  const earlier = pool.filter((c) => c !== m && c.msg.msgid !== m.msg.msgid && notLater(c, m));
  const att = m.attribution;
  if (att) return fromAttribution(m, att, earlier);
  // No attribution: the top-level quote alone.
  if (m.quoted.size === 0) return null;
  const best = quoteSupport(m, earlier, QUOTE_ONLY_SUPPORT)[0];
  if (!best) return null;
  return link(
    best.c,
    'quote',
    0.4 + 0.4 * best.ratio,
    `no attribution line; ${Math.round(best.ratio * 100)}% of the own text of ${who(best.c)} is quoted`,
  );
}

function fromAttribution(m: Prepared, att: Attribution, earlier: Prepared[]): ParentLink | null {
  const attInterval = att.date ? dateInterval(att.date) : null;
  const byName = earlier
    .map((c) => {
      let score = nameMatch(att.name, c.msg.from.name);
      if (score === 0 && !att.name && addressMatchesName(att.address, c.msg.from.name)) score = 0.7;
      if (score === 0 && att.address && c.msg.from.address && att.address === c.msg.from.address) score = 1;
      return { c, score };
    })
    .filter((x) => x.score > 0);
  const hasWho = att.name !== null || att.address !== null;
  const dateOk = (c: Prepared) =>
    !attInterval || !c.interval || gapHours(attInterval, c.interval) <= DATE_TOLERANCE_HOURS;
  const pool = hasWho ? byName.filter((x) => dateOk(x.c)).map((x) => x.c) : earlier.filter(dateOk);
  // The attributed author (or date) is not in the dump: leave the message for subject grouping.
  if (pool.length === 0) return null;
  if (!hasWho && !attInterval) return null;
  const datePart = attInterval ? `, date ${att.dateText ?? ''} = ${describeInterval(attInterval)}` : '';
  const method: ParentMethod = hasWho ? 'attribution' : 'date';
  const base = `"${att.line}"`;
  const support = quoteSupport(m, pool, QUOTE_SUPPORT);
  if (support.length > 0) {
    const best = support[0];
    const conf = (hasWho ? 0.75 : 0.55) + (attInterval ? 0.1 : 0) + 0.1 * best.ratio;
    const choice = pool.length > 1 ? `; chosen among ${pool.length} candidates by quoted text` : '';
    return link(
      best.c,
      method,
      conf,
      `${base} matched ${who(best.c)}${datePart}; ${Math.round(best.ratio * 100)}% of its own text is quoted${choice}`,
    );
  }
  // No quote evidence: accept only a candidate on the same topic whose text the reply could not
  // have quoted anyway (too short to compare); with several, the closest date.
  const contradicted = (c: Prepared) => m.quoted.size >= CONTRADICTION && c.own.size >= CONTRADICTION;
  const topical = pool.filter((c) => sameTopic(c, m) && !contradicted(c));
  if (topical.length === 0) return null;
  if (topical.length === 1) {
    const c = topical[0];
    const conf = (hasWho ? 0.65 : 0.4) + (attInterval ? 0.1 : 0);
    return link(c, method, conf, `${base} matched ${who(c)}${datePart}; same subject, no quoted text to compare`);
  }
  if (!attInterval) return null;
  const ranked = topical
    .filter((c) => c.interval)
    .map((c) => ({ c, d: midpointHours(attInterval, c.interval as TimeInterval) }))
    .sort((a, b) => a.d - b.d);
  if (ranked.length === 0) return null;
  if (ranked.length > 1 && Math.abs(ranked[0].d - ranked[1].d) < 1) return null; // a coin toss is not evidence
  const c = ranked[0].c;
  return link(
    c,
    'date',
    hasWho ? 0.5 : 0.35,
    `${base} names ${topical.length} candidates on the same subject; ${who(c)} is closest in time (${ranked[0].d.toFixed(1)} h)${datePart}`,
  );
}

/**
 * Set `inferredParent` on every message that has no In-Reply-To/References and whose parent can
 * be recovered from the other messages. Returns new message objects; the input is not changed.
 * Runs to a fixed point: once a lost-marker message's parent is known, its own text is refined to
 * what it adds to the parent, which sharpens the evidence for its replies.
 */
export function inferParents(messages: Message[]): Message[] {
  const prepared = prepare(messages);
  const fullOwn = prepared.map((p) => p.own);
  let links: (ParentLink | null)[] = prepared.map(() => null);
  for (let pass = 0; pass < 4; pass++) {
    const next = prepared.map((p) => {
      if (p.msg.inReplyTo || p.msg.references.length > 0) return p.msg.inferredParent;
      return inferParent(p, prepared);
    });
    const same = next.every((l, i) => l?.parent === links[i]?.parent);
    links = next;
    if (same && pass > 0) break;
    const byId = new Map(prepared.map((p) => [p.msg.msgid, p] as const));
    prepared.forEach((p, i) => {
      if (!p.lostMarkers) return;
      const l = links[i];
      const parent = l ? byId.get(l.parent) : undefined;
      p.own = parent ? minus(fullOwn[i], parent.full) : fullOwn[i];
    });
  }
  return prepared.map((p, i) => ({ ...p.msg, inferredParent: links[i] }));
}
