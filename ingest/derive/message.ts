// What one message yields on its own: segments (with the message each quote was taken from),
// hunks of its own diff and patch attachments, hunks it quotes, its own-text trailers, and the
// comments it makes under the hunks it quotes. Pure; the thread context comes in as arguments.
import type { Message } from '../model.js';
import {
  anchorReply,
  findTrailerBlock,
  followupTrailers,
  parseDiff,
  parseTrailerLines,
  quoteInfo,
  segmentBody,
  splitLines,
  unquotedDiffs,
  type Anchor,
  type FileDiff,
  type Segment,
  type Trailer,
} from '../segment/index.js';
import { nameKey } from '../identity/names.js';
import type { DigestInputs } from './digest.js';
import type { CommentRecord, HunkRecord, MessageDerivation, QuoteRecord, SegmentRecord, TrailerRecord } from '../../graph/patches.js';

/** Web-archive dumps lose `>` markers; only there are quotes looked for in earlier messages' text. */
export const MARKERS_MAY_BE_LOST: ReadonlySet<string> = new Set(['mail-archive', 'lkml']);

export interface Author {
  name: string | null;
  address: string | null;
}

export interface ThreadContext {
  /** Messages up the thread, nearest first (stored ones and ghosts). */
  ancestors: string[];
  /** Sender of a stored message. */
  author(msgid: string): Author | undefined;
  /** Bodies of the nearest earlier messages, only for dumps whose quote markers may be lost. */
  knownQuotes?: string[];
}

/** What a patch's diffs are read from: its body and its attachments (only patch ones count). */
export type PatchText = Pick<Message, 'body' | 'attachments'>;

/** A stored message cut down to what patchDiffsOf reads, for sending to a worker. */
export function patchTextOf(m: Message): PatchText {
  return { body: m.body, attachments: m.attachments.filter((a) => a.isPatch && a.text) };
}

/** A patch's diffs as one list, each file with where it came from (body or attachment). */
export interface PatchDiffs {
  diffs: FileDiff[];
  sources: string[];
}

/**
 * The patch part of a message: the diffs of its unquoted `diff` segments, then of its patch
 * attachments. Without `segments` the body's unquoted diffs are read alone (unquotedDiffs: the
 * same diffs, a third of the work; checked equal on all 91,782 messages of a linux-arm-kernel epoch).
 */
export function patchDiffsOf(m: PatchText, segments?: Segment[]): PatchDiffs {
  const diffs: FileDiff[] = [];
  const sources: string[] = [];
  const own = segments ? segments.filter((s) => s.kind === 'diff' && !s.markersLost).flatMap((s) => s.diffs ?? []) : unquotedDiffs(m.body);
  for (const d of own) {
    diffs.push(d);
    sources.push('body');
  }
  for (const a of m.attachments) {
    if (!a.isPatch || !a.text) continue;
    for (const d of parseDiff(a.text)) {
      diffs.push(d);
      sources.push(`attachment:${a.filename ?? '(unnamed)'}`);
    }
  }
  return { diffs, sources };
}

/** A reply's `diff` segments in a dump are quotes that lost their markers, not the reply's patch. */
export function carriesPatch(m: Message): boolean {
  return !(m.subject.isReply && MARKERS_MAY_BE_LOST.has(m.provenance.format));
}

function hunkRecords(msgid: string, kind: 'patch' | 'quoted', diffs: FileDiff[], sources: string[], depth: (i: number) => number): HunkRecord[] {
  const out: HunkRecord[] = [];
  diffs.forEach((f, i) => {
    for (const h of f.hunks) {
      out.push({
        msgid,
        index: out.length,
        kind,
        file: f.newPath ?? f.oldPath,
        oldPath: f.oldPath,
        newPath: f.newPath,
        status: f.status,
        oldStart: h.oldStart,
        oldLines: h.oldLines,
        newStart: h.newStart,
        newLines: h.newLines,
        header: h.header,
        functionName: h.functionName,
        startLine: h.startLine,
        endLine: h.endLine,
        source: sources[i] ?? 'body',
        depth: depth(i),
      });
    }
  });
  return out;
}

/** Running hunk index of (file, hunk) over a diff list, in the order hunkRecords numbers them. */
export function hunkIndexer(diffs: FileDiff[]): (fileIndex: number, hunkIndex: number) => number {
  const base: number[] = [];
  let n = 0;
  for (const f of diffs) {
    base.push(n);
    n += f.hunks.length;
  }
  return (fi, hi) => (base[fi] ?? 0) + hi;
}

const MAX_COMMENT = 4000;

/** The comment under an anchor, quote markers removed when the comment is itself quoted. */
function commentText(lines: string[], a: Anchor): string {
  if (!a.commentLines) return '';
  const [from, to] = a.commentLines;
  const part = lines.slice(from, to + 1).map((l) => (a.commentDepth ? quoteInfo(l).content : l));
  const text = part.join('\n').trim();
  return text.length > MAX_COMMENT ? `${text.slice(0, MAX_COMMENT)}…` : text;
}

/** COMMENTS_ON records for anchors into `diffs` (a stored patch's, or the reply's own quoted hunks). */
export function commentRecords(
  reply: string,
  lines: string[],
  anchors: Anchor[],
  diffs: FileDiff[],
  target: { msgid: string; kind: 'patch' | 'quoted' },
): CommentRecord[] {
  const index = hunkIndexer(diffs);
  return anchors.map((a) => {
    const hl = diffs[a.fileIndex]?.hunks[a.hunkIndex]?.lines[a.hunkLine];
    return {
      msgid: reply,
      hunkMsgid: target.msgid,
      hunkKind: target.kind,
      hunkIndex: index(a.fileIndex, a.hunkIndex),
      rule: target.kind,
      file: a.file,
      lineText: hl?.text ?? '',
      oldLine: a.oldLine,
      newLine: a.newLine,
      quotedLines: a.quotedLines,
      commentLines: a.commentLines,
      commentDepth: a.commentDepth,
      comment: commentText(lines, a),
      confidence: a.confidence,
    };
  });
}

function sameAuthor(attr: { name: string | null; email: string | null }, a: Author | undefined): boolean {
  if (!a) return false;
  if (attr.email && a.address) return attr.email.toLowerCase() === a.address.toLowerCase();
  const x = nameKey(attr.name);
  const y = nameKey(a.name);
  if (x && y) return x.key === y.key;
  return !!attr.name && !!a.name && attr.name.trim().toLowerCase() === a.name.trim().toLowerCase();
}

/**
 * The message quoted at `depth`, with the rule that told: the nearest message at least `depth` up
 * the thread whose author the attribution names (an attribution only speaks for the quotes one
 * level deeper than itself), else the message exactly `depth` up.
 */
function quotedMessage(depth: number, attribution: Segment['attribution'] | undefined, ctx: ThreadContext): { msgid: string; rule: QuoteRecord['rule']; evidence: string } | null {
  if (attribution && (attribution.name || attribution.email)) {
    for (const a of ctx.ancestors.slice(depth - 1)) {
      if (sameAuthor(attribution, ctx.author(a))) {
        return { msgid: a, rule: 'attribution', evidence: `attribution "${attribution.raw}" names the author of <${a}>` };
      }
    }
  }
  const a = ctx.ancestors[depth - 1];
  if (!a || !ctx.author(a)) return null;
  return { msgid: a, rule: 'ancestor', evidence: `quote depth ${depth}: message ${depth} up the thread` };
}

/** COMMENTS_ON is kept only where the reply wrote something under the quoted line. */
export function hasComment(c: CommentRecord): boolean {
  return c.commentLines !== null && c.comment !== '';
}

export interface DerivedMessage {
  derivation: MessageDerivation;
  /** What was computed on the way (not stored as such): the digest reuses it (derive/digest.ts). */
  computed: DigestInputs;
  /** True when the message quotes hunks, so it may comment on a stored patch (second pass). */
  quotesHunks: boolean;
}

/** Everything derived from one message on its own. */
export function deriveMessage(m: Message, ctx: ThreadContext): DerivedMessage {
  const body = m.body;
  const lines = splitLines(body);
  const segments = segmentBody(body, { knownQuotes: ctx.knownQuotes, lines });

  const segRecords: SegmentRecord[] = [];
  const quotes: QuoteRecord[] = [];
  for (const s of segments) {
    const intro = s.attributionSegment !== undefined ? segments[s.attributionSegment] : undefined;
    const attribution = s.attribution ?? intro?.attribution;
    let quoted: string | null = null;
    if (s.kind === 'attribution') {
      quoted = quotedMessage(s.depth + 1, s.attribution, ctx)?.msgid ?? null;
    } else if (s.kind === 'quote' || s.kind === 'quoted-diff' || (s.kind === 'diff' && s.markersLost)) {
      const depth = Math.max(1, s.depth);
      const speaks = intro !== undefined && intro.depth === depth - 1;
      const q = quotedMessage(depth, speaks ? intro.attribution : undefined, ctx);
      if (q) {
        quoted = q.msgid;
        quotes.push({ msgid: m.msgid, quoted: q.msgid, depth: s.depth, startLine: s.startLine, endLine: s.endLine, rule: q.rule, evidence: q.evidence });
      }
    }
    segRecords.push({
      kind: s.kind,
      startLine: s.startLine,
      endLine: s.endLine,
      depth: s.depth,
      markersLost: s.markersLost === true,
      attribution: attribution ? { name: attribution.name, email: attribution.email, date: attribution.date, raw: attribution.raw } : null,
      quotes: quoted,
    });
  }

  // Own diff and patch attachments; in a dump, a reply's unmarked diff is a quote.
  const own = carriesPatch(m) ? patchDiffsOf(m, segments) : { diffs: [], sources: [] };
  const hunks = hunkRecords(m.msgid, 'patch', own.diffs, own.sources, () => 0);

  // Quoted hunks (and, in dumps, diffs whose markers were lost), anchored to themselves so each
  // comment under them is kept even when the patch is not in the archive.
  const quotedDiffs: FileDiff[] = [];
  const quotedDepth: number[] = [];
  for (const s of segments) {
    const lost = s.kind === 'diff' && !carriesPatch(m);
    if (s.kind !== 'quoted-diff' && !lost) continue;
    for (const d of s.diffs ?? []) {
      quotedDiffs.push(d);
      quotedDepth.push(s.depth);
    }
  }
  hunks.push(...hunkRecords(m.msgid, 'quoted', quotedDiffs, [], (i) => quotedDepth[i] ?? 0));
  const comments =
    quotedDiffs.length > 0
      ? commentRecords(m.msgid, lines, anchorReply(body, [{ msgid: m.msgid, diffs: quotedDiffs }], segments, lines), quotedDiffs, { msgid: m.msgid, kind: 'quoted' })
      : [];

  // Own-text trailers: the patch's trailer block, and a reviewer's follow-up tags.
  const trailers: TrailerRecord[] = [];
  const record = (t: Trailer, role: TrailerRecord['role']): void => {
    trailers.push({ msgid: m.msgid, role, name: t.name, value: t.value, personName: t.person?.name ?? null, personAddress: t.person?.address ?? null, line: t.line });
  };
  const block = findTrailerBlock(lines);
  const blockTrailers = block ? parseTrailerLines(lines, block[0], block[1]) : [];
  const inBlock = new Set(blockTrailers.map((t) => t.line));
  if (!m.subject.isReply) for (const t of blockTrailers) record(t, 'patch');
  const followups = followupTrailers(body, segments, lines);
  for (const t of followups) if (!(inBlock.has(t.line) && !m.subject.isReply)) record(t, 'followup');

  return {
    derivation: { msgid: m.msgid, segments: segRecords, quotes, hunks, trailers, comments: comments.filter(hasComment) },
    computed: { lines, trailerBlock: block, followups },
    quotesHunks: segments.some((s) => s.kind === 'quoted-diff' || (s.kind === 'diff' && !carriesPatch(m))),
  };
}
