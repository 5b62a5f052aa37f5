// Turning page data into what the HTML templates draw: anchors, tree rows, body blocks, labels.
// Only the HTML view uses this; /api/… returns the page data as it is.
import { displayAddress, type StoredMessage } from '../graph/store.js';
import type { Address, ParentMethod } from '../ingest/model.js';
import { MARKERS_MAY_BE_LOST } from '../ingest/derive/message.js';
import { bodyBlocks, type BodyBlock } from './body.js';
import type { HomeData, MessageData, SearchData, ThreadData } from './pages.js';
import { isMadeUpMsgid, loreSubjectSearchUrl, loreUrl, messageUrl, personUrl, searchUrl, seriesUrl } from './urls.js';
import { presentClaim, type ClaimBadgeView } from './presentClaims.js';

const METHOD_TEXT: Record<ParentMethod, string> = {
  'in-reply-to': 'In-Reply-To header',
  references: 'References header',
  attribution: 'inferred from an attribution line',
  quote: 'inferred from quoted text',
  date: 'inferred from dates',
  subject: 'inferred from the subject',
};

export interface ParentLinkView {
  method: ParentMethod;
  /** Header links are certain; the rest were inferred from content. */
  inferred: boolean;
  text: string;
  confidence: number | null;
  evidence: string | null;
}

function parentLink(method: ParentMethod | null, confidence: number | null, evidence: string | null): ParentLinkView | null {
  if (!method) return null;
  return {
    method,
    inferred: method !== 'in-reply-to' && method !== 'references',
    text: METHOD_TEXT[method],
    confidence,
    evidence,
  };
}

function addresses(list: Address[]): string[] {
  return list.map(displayAddress);
}

/** Where to look for a message on lore: by Message-ID, or by subject when loregraph made the id up. */
function loreLink(m: StoredMessage): { url: string; label: string } {
  return m.synthetic
    ? { url: loreSubjectSearchUrl(m.subject.normalized || m.subject.raw), label: 'search lore for this subject' }
    : { url: loreUrl(m.msgid), label: 'lore' };
}

export interface MessageCard {
  anchor: string;
  n: number;
  msgid: string;
  synthetic: boolean;
  from: string;
  to: string[];
  cc: string[];
  date: string | null;
  /** False when the source gave only a day: the time shown would be invented. */
  dateHasTime: boolean;
  dateRaw: string | null;
  tzOffset: number | null;
  subject: string;
  inReplyTo: string | null;
  parentAnchor: string | null;
  parentMsgid: string | null;
  parentGhost: boolean;
  link: ParentLinkView | null;
  blocks: BodyBlock[];
  attachments: { filename: string | null; contentType: string; size: number; isPatch: boolean; blocks: BodyBlock[] | null }[];
  footers: string[];
  lore: { url: string; label: string };
  requested: boolean;
  /** The sender's person page (by address, else by name). */
  fromUrl: string | null;
  /** Claims read from this message, in sentence order. */
  claims: ClaimBadgeView[];
  /** The claims split for the page: those checked on the model and the concerns shown in full, the rest folded (message page) or counted (thread page). */
  checkedClaims: ClaimBadgeView[];
  otherClaims: ClaimBadgeView[];
  fewClaims: boolean;
  /** On the thread page: the claims not shown, counted by kind (the message page lists them). */
  moreClaims: { kind: string; n: number }[];
  moreCount: number;
}

function card(m: StoredMessage, n: number, earlier: string[] = []): MessageCard {
  return {
    anchor: `m-${n}`,
    n,
    msgid: m.msgid,
    synthetic: m.synthetic,
    from: displayAddress(m.from),
    to: addresses(m.to),
    cc: addresses(m.cc),
    date: m.date,
    dateHasTime: m.dateRaw === null ? m.date !== null : /\d:\d\d/.test(m.dateRaw),
    dateRaw: m.dateRaw,
    tzOffset: m.tzOffset,
    subject: m.subject.raw,
    inReplyTo: m.inReplyTo,
    parentAnchor: null,
    parentMsgid: null,
    parentGhost: false,
    link: null,
    blocks: bodyBlocks(m.body, earlier),
    attachments: m.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
      isPatch: a.isPatch,
      blocks: a.text === null ? null : bodyBlocks(a.text),
    })),
    footers: m.footers,
    lore: loreLink(m),
    requested: false,
    fromUrl: m.from.address || m.from.name ? personUrl(m.from.address ?? m.from.name ?? '') : null,
    claims: [],
    checkedClaims: [],
    otherClaims: [],
    fewClaims: true,
    moreClaims: [],
    moreCount: 0,
  };
}

// Only text dumps of web archives (MARKERS_MAY_BE_LOST: mail-archive.com, lkml.org pages) lose
// the `>` markers of quotes; in real mail, looking for unmarked quotes would only cost time and
// could take a repeated line of a reviewer's own text for a quote.

/** How far up the thread a message's quotes are looked for: the nearest ancestors hold what it quotes. */
const MAX_ANCESTORS = 4;

export interface TreeRow {
  msgid: string;
  ghost: boolean;
  depth: number;
  from: string;
  date: string | null;
  subject: string;
  /** Shown only where it differs from the thread's subject. */
  subjectChanged: boolean;
  anchor: string | null;
  link: ParentLinkView | null;
  requested: boolean;
  /** A ghost whose id loregraph made up: it stands for an original that no header named. */
  madeUp: boolean;
  lore: { url: string; label: string } | null;
}

/** A subject without its Re:/Fwd: chain. */
function stripReplyPrefix(s: string): string {
  return s.replace(/^\s*((re|fwd?|aw|sv)\s*:\s*)+/i, '').trim();
}

function normSubject(s: string): string {
  return stripReplyPrefix(s).toLowerCase();
}

export function presentThread(d: ThreadData) {
  const full = new Map(d.messages.map((m) => [m.msgid, m]));
  const claimsOf = new Map<string, ClaimBadgeView[]>();
  for (const c of d.claims) {
    const list = claimsOf.get(c.msgid) ?? [];
    list.push(presentClaim(c));
    claimsOf.set(c.msgid, list);
  }
  const anchors = new Map<string, string>();
  const cards: MessageCard[] = [];
  const rows: TreeRow[] = [];
  const rootSubject = normSubject(d.thread.subject);
  let requestedAnchor: string | null = null;
  const parentOf = new Map(d.thread.messages.map((t) => [t.msgid, t.parent]));
  /** Bodies of the nearest stored ancestors: what a message can quote (dumps may have lost the `>`). */
  const ancestorBodies = (msgid: string): string[] => {
    const out: string[] = [];
    const seen = new Set<string>([msgid]);
    for (let p = parentOf.get(msgid) ?? null; p !== null && !seen.has(p) && out.length < MAX_ANCESTORS; p = parentOf.get(p) ?? null) {
      seen.add(p);
      const body = full.get(p)?.body;
      if (body) out.push(body);
    }
    return out;
  };
  for (const t of d.thread.messages) {
    const m = t.ghost ? undefined : full.get(t.msgid);
    let anchor: string | null = null;
    if (m) {
      const c = card(m, cards.length + 1, MARKERS_MAY_BE_LOST.has(m.provenance.format) ? ancestorBodies(m.msgid) : []);
      anchor = c.anchor;
      anchors.set(m.msgid, anchor);
      c.parentMsgid = t.parent;
      c.parentAnchor = t.parent ? (anchors.get(t.parent) ?? null) : null;
      c.parentGhost = t.parent !== null && !anchors.has(t.parent);
      c.link = parentLink(t.inferred, t.confidence, t.evidence);
      c.requested = t.msgid === d.requested;
      // A long thread holds hundreds of claims: the page shows the checked ones and the concerns,
      // and counts the rest by kind (the message page lists every claim), to stay quick to render.
      c.claims = claimsOf.get(m.msgid) ?? [];
      c.checkedClaims = c.claims.filter((x) => x.checked || x.kind === 'concern' || x.kind === 'nak');
      const rest = new Map<string, number>();
      for (const x of c.claims) if (!c.checkedClaims.includes(x)) rest.set(x.kind, (rest.get(x.kind) ?? 0) + 1);
      c.moreClaims = [...rest.entries()].map(([kind, n]) => ({ kind, n }));
      c.moreCount = c.claims.length - c.checkedClaims.length;
      if (c.requested) requestedAnchor = anchor;
      cards.push(c);
    }
    const madeUp = (t.ghost || !m) && isMadeUpMsgid(t.msgid);
    rows.push({
      msgid: t.msgid,
      madeUp,
      lore: m
        ? loreLink(m)
        : madeUp
          ? { url: loreSubjectSearchUrl(stripReplyPrefix(d.thread.subject)), label: 'search lore for the original' }
          : { url: loreUrl(t.msgid), label: 'lore' },
      ghost: t.ghost || !m,
      depth: t.depth,
      from: t.from,
      date: t.date,
      subject: t.subject,
      subjectChanged: !t.ghost && normSubject(t.subject) !== rootSubject,
      anchor,
      link: parentLink(t.inferred, t.confidence, t.evidence),
      requested: t.msgid === d.requested,
    });
  }
  const inferredCount = rows.filter((r) => r.link?.inferred).length;
  const seriesKeys = [...new Set(d.claims.map((c) => c.series).filter((k): k is string => k !== null))];
  const symbolCounts = new Map<string, { name: string; url: string; n: number }>();
  for (const list of claimsOf.values()) {
    for (const c of list) {
      for (const sym of c.symbols) {
        const e = symbolCounts.get(sym.name) ?? { ...sym, n: 0 };
        e.n++;
        symbolCounts.set(sym.name, e);
      }
    }
  }
  return {
    title: d.thread.subject || '(no subject)',
    subject: d.thread.subject || '(no subject)',
    root: d.thread.root,
    rootGhost: rows[0]?.ghost ?? false,
    rootMadeUp: rows[0]?.madeUp ?? false,
    rootLore: rows[0]?.lore ?? null,
    requested: d.requested,
    requestedAnchor: requestedAnchor !== 'm-1' ? requestedAnchor : null,
    messageCount: cards.length,
    ghostCount: rows.filter((r) => r.ghost).length,
    inferredCount,
    rows,
    cards,
    claimCount: d.claims.length,
    checkedCount: d.claims.filter((c) => c.verdict !== 'unchecked').length,
    series: seriesKeys.map((k) => ({ key: k, url: seriesUrl(k) })),
    symbols: [...symbolCounts.values()].sort((a, b) => b.n - a.n || a.name.localeCompare(b.name)).slice(0, 15),
  };
}

export function presentMessage(d: MessageData) {
  const m = d.message;
  const c = card(m, 1);
  c.claims = d.claims.map(presentClaim);
  c.checkedClaims = c.claims.filter((x) => x.checked || x.kind === 'concern' || x.kind === 'nak');
  c.otherClaims = c.claims.filter((x) => !c.checkedClaims.includes(x));
  c.fewClaims = c.claims.length <= 3;
  const p = m.inferredParent;
  const inArchive = new Set(d.inArchive);
  const named = (id: string) => ({
    msgid: id,
    inArchive: inArchive.has(id),
    url: inArchive.has(id) ? messageUrl(id) : isMadeUpMsgid(id) ? null : loreUrl(id),
  });
  return {
    title: m.subject.raw || '(no subject)',
    card: c,
    inReplyTo: m.inReplyTo ? named(m.inReplyTo) : null,
    references: m.references.map(named),
    message: m,
    inferredParent: p ? { ...parentLink(p.method, p.confidence, p.evidence), parent: p.parent } : null,
    extraHeaders: Object.entries(m.extraHeaders).map(([name, value]) => ({ name, value })),
    subjectTags: m.subject.tags.join(' '),
    thread: d.thread,
  };
}

export function presentSearch(d: SearchData) {
  const { q, author, since, until, limit, page } = d.query;
  const base = { q, author: author ?? undefined, since: since ?? undefined, until: until ? until : undefined, limit: limit === 20 ? undefined : limit };
  return {
    title: q ? `search: ${q}` : 'search',
    query: d.query,
    hits: d.hits,
    searched: q !== '',
    firstIndex: (page - 1) * limit + 1,
    prevUrl: page > 1 ? searchUrl({ ...base, page: page - 1 === 1 ? undefined : page - 1 }) : null,
    nextUrl: d.hasNext ? searchUrl({ ...base, page: page + 1 }) : null,
  };
}

export function presentHome(d: HomeData) {
  return {
    title: 'What is ingested',
    ...d,
    prevUrl: d.page > 1 ? (d.page === 2 ? '/' : `/?page=${d.page - 1}`) : null,
    nextUrl: d.hasNext ? `/?page=${d.page + 1}` : null,
    moreSkips: Math.max(0, d.stats.skipped - d.skips.length),
  };
}
