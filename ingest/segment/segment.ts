// Split a mail body into ordered, line-ranged segments: own text, attributions, quotes (with depth),
// inline diffs, quoted diffs, diffstat, trailers, signature and list footer.
//
// Line numbers are 0-based indexes into `splitLines(body)` (the body split on '\n', a trailing '\r'
// dropped); `startLine`/`endLine` are inclusive. The segments cover every line exactly once, in order.
// Never throws on odd text: whatever is not recognised is own text.
import { findDiffStart, parseDiffLines, splitLines, type FileDiff, type Hunk } from './diff.js';
import { isAttributionStart, outlookBlockAt, parseAttribution, quoteInfo, type Attribution, type QuoteInfo } from './quoting.js';
import { parseTrailerLines, type Trailer } from './trailers.js';

export type SegmentKind = 'text' | 'attribution' | 'quote' | 'diff' | 'quoted-diff' | 'diffstat' | 'trailers' | 'signature' | 'footer';

export interface Segment {
  kind: SegmentKind;
  /** 0-based first line (inclusive). */
  startLine: number;
  /** 0-based last line (inclusive). */
  endLine: number;
  /** Quote depth (number of `>` markers); 0 for unquoted segments; 1 for quotes whose markers were lost. */
  depth: number;
  /** attribution: the parsed line. quote / quoted-diff: the attribution that introduces it, if found. */
  attribution?: Attribution;
  /** quote / quoted-diff: index (in the returned array) of the attribution segment that introduces it. */
  attributionSegment?: number;
  /** quote: true when the lines carried no `>` and were recognised from `opts.knownQuotes`. */
  markersLost?: boolean;
  /**
   * diff / quoted-diff: the parsed file diffs. Their line numbers index the body's lines. A quoted
   * run of `+`/`-` lines with no `@@` header gives a quoted-diff with `headerless: true` and no diffs.
   */
  diffs?: FileDiff[];
  headerless?: boolean;
  /** trailers: the trailers of the segment (line numbers index the body's lines). */
  trailers?: Trailer[];
}

export interface SegmentOptions {
  /**
   * Texts of messages this body may quote (the earlier messages of the thread). Unquoted lines that
   * also appear in one of them (compared without whitespace differences and case) become `quote`
   * segments with `markersLost: true`. Pass only earlier messages: a later reply quoting this body
   * would otherwise make its own words look quoted. Absent or empty: nothing is looked for.
   */
  knownQuotes?: string[];
  /** `splitLines(body)`, when the caller has it already (read, never changed). */
  lines?: string[];
}

interface LineMark {
  kind: SegmentKind;
  depth: number;
  /** Lines with the same group and kind form one segment. */
  group: number;
}

const VALEDICTION = /^(?:thanks|thank you|many thanks|thanks again|thx|cheers|regards|best regards|kind regards|best|br|greetings|ciao|bye)[,.!]*\s*$/i;

function normalise(s: string): string {
  return s.replace(/\s+/g, ' ').trim().toLowerCase();
}

function shiftDiffs(diffs: FileDiff[], offset: number): FileDiff[] {
  const shiftHunk = (h: Hunk): Hunk => ({
    ...h,
    startLine: h.startLine + offset,
    endLine: h.endLine + offset,
    lines: h.lines.map((l) => ({ ...l, line: l.line + offset })),
  });
  return diffs.map((d) => ({ ...d, startLine: d.startLine + offset, endLine: d.endLine + offset, hunks: d.hunks.map(shiftHunk) }));
}

/** A quoted line's content looks like a line of a diff (`+foo`, `-bar;`), not prose or `+1`. */
function isDiffish(content: string): boolean {
  // A wrapped diffstat tail (`+++-`) or a rule is not a diff line.
  if (/^[+-]{3,}\s*$/.test(content)) return false;
  if (/^\+(?!\+\+ )(?!1\b)/.test(content)) return true;
  if (/^-(?!-- )/.test(content)) {
    const rest = content.slice(1);
    // `- item` bullets in prose are not diff lines; code usually has punctuation or indentation.
    if (/^\s*$/.test(rest)) return true;
    if (/^\t/.test(rest) || /[;{}()=&|<>[\]]|->|\/\*|\*\//.test(rest)) return true;
    return /^[A-Za-z_#]/.test(rest) && !/^[A-Z][a-z]+ [a-z]+ /.test(rest);
  }
  return false;
}

class Marker {
  readonly marks: (LineMark | null)[];
  private nextGroup = 1;
  constructor(n: number) {
    this.marks = new Array<LineMark | null>(n).fill(null);
  }
  group(): number {
    return this.nextGroup++;
  }
  free(i: number): boolean {
    return i >= 0 && i < this.marks.length && this.marks[i] === null;
  }
  mark(from: number, to: number, kind: SegmentKind, depth: number, group = this.group()): number {
    for (let i = Math.max(0, from); i <= to && i < this.marks.length; i++) {
      if (this.marks[i] === null) this.marks[i] = { kind, depth, group };
    }
    return group;
  }
}

/** `lines` with every quoted line made unreadable as diff syntax. */
function maskQuoted(lines: string[], q: QuoteInfo[]): string[] {
  return lines.map((l, i) => (q[i].depth > 0 ? `\u0000${l}` : l));
}

/**
 * The diffs of `body`'s unquoted text: what the `diff` segments of segmentBody(body) hold (without
 * knownQuotes), in order, for a caller that needs only them — without the rest of the segmentation.
 */
export function unquotedDiffs(body: string): FileDiff[] {
  const lines = splitLines(typeof body === 'string' ? body : '');
  return parseDiffLines(maskQuoted(lines, lines.map(quoteInfo)));
}

/** Split `body` into segments. See the module comment for the line numbering. */
export function segmentBody(body: string, opts: SegmentOptions = {}): Segment[] {
  const text = typeof body === 'string' ? body : '';
  const lines = opts.lines ?? splitLines(text);
  const n = lines.length;
  const q = lines.map(quoteInfo);
  const m = new Marker(n);
  const extra = new Map<number, Partial<Segment>>();

  // 1. Inline diffs in the unquoted text (a patch mail, or a reviewer's proposed fix).
  const unquoted = maskQuoted(lines, q);
  const own = parseDiffLines(unquoted);
  let lastDiffGroup = -1;
  let lastDiffEnd = -2;
  for (const d of own) {
    const adjacent = lastDiffGroup > 0 && lines.slice(lastDiffEnd + 1, d.startLine).every((l) => l.trim() === '');
    const g = adjacent ? lastDiffGroup : m.group();
    m.mark(adjacent ? lastDiffEnd + 1 : d.startLine, d.endLine, 'diff', 0, g);
    const e = extra.get(g) ?? { diffs: [] };
    (e.diffs ??= []).push(d);
    extra.set(g, e);
    lastDiffGroup = g;
    lastDiffEnd = d.endLine;
  }
  const firstDiff = own.length > 0 ? own[0].startLine : null;

  // 2. The `---` separator and diffstat above the diff.
  if (firstDiff !== null) {
    const loc = findDiffStart(unquoted.slice(0, firstDiff + 1));
    if (loc.separator !== null && loc.diffstat !== null) m.mark(loc.separator, loc.diffstat[1], 'diffstat', 0);
  }

  // 3. List footer and signature (unquoted, after the last diff).
  const tailFrom = lastDiffEnd + 1;
  let footerStart = n;
  for (let i = Math.max(0, tailFrom); i < n; i++) {
    if (q[i].depth > 0 || !m.free(i)) continue;
    const l = lines[i];
    // The five lines after a rule are joined only for a rule (this loop sees every line of a reply).
    const listRule = (): boolean => /^_{10,}\s*$/.test(l) && /mailing list|listinfo|lists?\.|unsubscribe/i.test(lines.slice(i + 1, i + 6).join('\n'));
    if (listRule() || /^To unsubscribe from this list: send the line/.test(l) || /^You received this message because you are subscribed to the Google Groups/.test(l)) {
      footerStart = i;
      m.mark(i, n - 1, 'footer', 0);
      break;
    }
  }
  const isSigStart = (i: number): boolean => q[i].depth === 0 && m.free(i) && /^-- ?$/.test(lines[i]);
  for (let i = Math.max(0, tailFrom); i < footerStart; i++) {
    if (!isSigStart(i)) continue;
    // The signature runs to the next quote / attribution block (top-posted mail) or the footer.
    let end = i;
    for (let j = i + 1; j < footerStart; j++) {
      if (q[j].depth > 0 || parseAttribution(lines[j]) || outlookBlockAt(lines, j)) break;
      end = j;
    }
    m.mark(i, end, 'signature', 0);
    i = end;
  }
  // A closing "Thanks,\nName" with nothing but a short name after it is a sign-off, not review text.
  for (let i = 0; i < footerStart; i++) {
    if (q[i].depth > 0 || !m.free(i) || !VALEDICTION.test(lines[i].trim())) continue;
    let j = i + 1;
    let names = 0;
    let ok = true;
    for (; j < footerStart && m.free(j); j++) {
      if (q[j].depth > 0) {
        ok = false;
        break;
      }
      const t = lines[j].trim();
      if (t === '') continue;
      if (t.length > 40 || names >= 3) {
        ok = false;
        break;
      }
      names++;
    }
    if (ok && names <= 3 && (j >= footerStart || !m.free(j))) {
      m.mark(i, j - 1, 'signature', 0);
      break;
    }
  }

  // 4. Trailers in own (unquoted, unmarked) text.
  const trailers = parseTrailerLines(lines, 0, n - 1).filter((t) => {
    for (let k = t.line; k <= t.endLine; k++) if (!m.free(k) || q[k].depth > 0) return false;
    return true;
  });
  let tg = -1;
  let tEnd = -2;
  for (const t of trailers) {
    const adjacent = tg > 0 && t.line === tEnd + 1;
    const g = adjacent ? tg : m.group();
    m.mark(t.line, t.endLine, 'trailers', 0, g);
    const e = extra.get(g) ?? { trailers: [] };
    (e.trailers ??= []).push(t);
    extra.set(g, e);
    tg = g;
    tEnd = t.endLine;
  }

  // 5. Attribution lines, quoted or not (a wrapped one is re-joined with the next line).
  const atDepth = new Map<number, string[]>();
  const contentsAt = (depth: number): string[] => {
    let c = atDepth.get(depth);
    if (!c) {
      c = q.map((x) => (x.depth === depth ? x.content : '\u0000'));
      atDepth.set(depth, c);
    }
    return c;
  };
  for (let i = 0; i < n; i++) {
    if (!m.free(i)) continue;
    const content = q[i].content;
    const outlook = /:/.test(content) || /Original Message/i.test(content) ? outlookBlockAt(contentsAt(q[i].depth), i) : null;
    if (outlook && (outlook.end > i || /Original Message/i.test(content))) {
      const g = m.mark(i, outlook.end, 'attribution', q[i].depth);
      extra.set(g, { attribution: outlook.attribution });
      i = outlook.end;
      continue;
    }
    let a = parseAttribution(content);
    let end = i;
    if (!a && isAttributionStart(content) && i + 1 < n && q[i + 1].depth === q[i].depth && m.free(i + 1)) {
      a = parseAttribution(`${content} ${q[i + 1].content}`);
      if (a) end = i + 1;
    }
    if (!a) continue;
    const g = m.mark(i, end, 'attribution', q[i].depth);
    extra.set(g, { attribution: a });
    i = end;
  }

  // 6. Quoted runs (same depth, contiguous): quoted diffs first, then plain quotes.
  for (let i = 0; i < n; ) {
    if (q[i].depth === 0 || !m.free(i)) {
      i++;
      continue;
    }
    const depth = q[i].depth;
    let j = i;
    while (j + 1 < n && q[j + 1].depth === depth && m.free(j + 1)) j++;
    markQuotedRun(q, m, extra, i, j, depth);
    i = j + 1;
  }

  // 7. Quotes whose markers were lost, recognised from earlier messages' text.
  const lost = opts.knownQuotes && opts.knownQuotes.length > 0 ? markLostQuotes(lines, q, m, opts.knownQuotes) : new Set<number>();

  // 8. Blank lines between two parts of the same quote, diff or trailer block belong to it.
  for (let i = 0; i < n; i++) {
    if (!m.free(i) || lines[i].trim() !== '') continue;
    let a = i - 1;
    while (a >= 0 && m.free(a) && lines[a].trim() === '') a--;
    let b = i + 1;
    while (b < n && m.free(b) && lines[b].trim() === '') b++;
    const pa = a >= 0 ? m.marks[a] : null;
    const pb = b < n ? m.marks[b] : null;
    if (pa && pb && pa.group === pb.group && pa.kind !== 'text') m.mark(a + 1, b - 1, pa.kind, pa.depth, pa.group);
  }

  // 9. Everything else is own text.
  return buildSegments(m, extra, lost, n);
}

function markQuotedRun(
  q: { depth: number; content: string }[],
  m: Marker,
  extra: Map<number, Partial<Segment>>,
  from: number,
  to: number,
  depth: number,
): void {
  const contents = q.slice(from, to + 1).map((x) => x.content);
  for (const d of parseDiffLines(contents)) {
    const [shifted] = shiftDiffs([d], from);
    const g = m.mark(shifted.startLine, shifted.endLine, 'quoted-diff', depth);
    extra.set(g, { diffs: [shifted] });
  }
  // Quoted diff lines whose `@@` header was trimmed away: a cluster of `+`/`-` lines and the
  // context lines between them.
  let k = from;
  while (k <= to) {
    if (!m.free(k) || !isDiffish(q[k].content)) {
      k++;
      continue;
    }
    let end = k;
    let diffish = 1;
    let plus = /^\+/.test(q[k].content) ? 1 : 0;
    for (let j = k + 1; j <= to && m.free(j); j++) {
      const c = q[j].content;
      if (isDiffish(c)) {
        end = j;
        diffish++;
        if (c.startsWith('+')) plus++;
      } else if (/^[ \t]/.test(c) && c.trim() !== '' && j - end <= 3) continue;
      else break;
    }
    if (plus > 0 || diffish >= 2) {
      const g = m.mark(k, end, 'quoted-diff', depth);
      extra.set(g, { diffs: [], headerless: true });
    }
    k = end + 1;
  }
  let g = -1;
  for (let i = from; i <= to; i++) {
    if (!m.free(i)) {
      g = -1;
      continue;
    }
    if (g < 0) g = m.group();
    m.mark(i, i, 'quote', depth, g);
  }
}

/** Mark unquoted lines found in earlier messages as depth-1 quotes; returns the groups used. */
function markLostQuotes(lines: string[], q: { depth: number }[], m: Marker, known: string[]): Set<number> {
  const lostGroups = new Set<number>();
  const corpus = known
    .map((t) => splitLines(typeof t === 'string' ? t : '').map((l) => quoteInfo(l).content).join(' '))
    .map(normalise)
    .join('\n');
  const hit = (l: string): boolean => {
    const t = normalise(l);
    return t.length > 0 && corpus.includes(t);
  };
  const strong = (l: string): boolean => {
    const t = normalise(l);
    return (t.length >= 20 || t.split(' ').length >= 4) && hit(l);
  };
  const isLost = new Array<boolean>(lines.length).fill(false);
  for (let i = 0; i < lines.length; i++) {
    if (q[i].depth === 0 && m.free(i) && strong(lines[i])) isLost[i] = true;
  }
  // Short lines (a wrapped tail like "sane.") next to a strong hit also match.
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < lines.length; i++) {
      if (isLost[i] || q[i].depth > 0 || !m.free(i) || lines[i].trim() === '') continue;
      if ((isLost[i - 1] || isLost[i + 1]) && hit(lines[i])) isLost[i] = true;
    }
  }
  let g = -1;
  for (let i = 0; i < lines.length; i++) {
    if (isLost[i]) {
      if (g < 0) g = m.group();
      m.mark(i, i, 'quote', 1, g);
      lostGroups.add(g);
    } else if (!(lines[i].trim() === '' && m.free(i))) g = -1;
  }
  return lostGroups;
}

function buildSegments(m: Marker, extra: Map<number, Partial<Segment>>, lostGroups: Set<number>, n: number): Segment[] {
  const out: Segment[] = [];
  let textGroup = -1;
  for (let i = 0; i < n; i++) {
    let mark = m.marks[i];
    if (mark === null) {
      if (textGroup < 0 || out[out.length - 1]?.kind !== 'text') textGroup = m.group();
      mark = { kind: 'text', depth: 0, group: textGroup };
      m.marks[i] = mark;
    }
    const prev = out[out.length - 1];
    if (prev && i > 0 && m.marks[i - 1]?.group === mark.group && prev.kind === mark.kind) {
      prev.endLine = i;
      continue;
    }
    const seg: Segment = { kind: mark.kind, startLine: i, endLine: i, depth: mark.depth, ...(extra.get(mark.group) ?? {}) };
    if (lostGroups.has(mark.group)) seg.markersLost = true;
    out.push(seg);
  }
  linkAttributions(out);
  return out;
}

/** Point each quote at the attribution that introduces it: the nearest one above, one level shallower (or an Outlook block at its own level). */
function linkAttributions(segs: Segment[]): void {
  for (let s = 0; s < segs.length; s++) {
    const seg = segs[s];
    if (seg.kind !== 'quote' && seg.kind !== 'quoted-diff') continue;
    let fallback = -1;
    for (let a = s - 1; a >= 0; a--) {
      const cand = segs[a];
      if (cand.kind !== 'attribution') continue;
      // An Outlook header block introduces the text below it at its own depth (top-posting style).
      const outlookSameDepth = cand.attribution?.style === 'outlook' && cand.depth === seg.depth;
      if (cand.depth === seg.depth - 1 || outlookSameDepth || (seg.markersLost && cand.depth === 0)) {
        fallback = a;
        break;
      }
      if (fallback < 0 && cand.depth < seg.depth) fallback = a;
    }
    if (fallback >= 0) {
      seg.attributionSegment = fallback;
      seg.attribution = segs[fallback].attribution;
    }
  }
}

/**
 * The prose a reviewer wrote in this body: its `text` segments joined, without quotes, trailers,
 * signature, diffs, diffstat, footer, attribution lines or a bare `---` separator.
 */
export function ownText(segments: Segment[], body: string): string {
  const lines = splitLines(typeof body === 'string' ? body : '');
  const parts: string[] = [];
  for (const s of segments) {
    if (s.kind !== 'text') continue;
    for (let i = s.startLine; i <= s.endLine && i < lines.length; i++) {
      if (/^---\s*$/.test(lines[i])) continue;
      parts.push(lines[i]);
    }
    parts.push('');
  }
  return parts.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** The lines of one segment, without quote markers for quote, quoted-diff and quoted attribution segments. */
export function segmentText(segment: Segment, body: string): string {
  const lines = splitLines(typeof body === 'string' ? body : '').slice(segment.startLine, segment.endLine + 1);
  return (segment.depth > 0 && !segment.markersLost ? lines.map((l) => quoteInfo(l).content) : lines).join('\n');
}
