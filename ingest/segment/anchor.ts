// Anchor a reply's quoted hunks to the original patch, and each reviewer comment to the hunk line
// it sits under.
//
// Quoted lines are compared with the patch's hunk lines with all whitespace removed, so archives
// that stripped leading whitespace or squeezed tabs still match; a long line the quoting mailer
// wrapped into two quoted lines is re-joined; `[...]`, `[ ... ]`, `<snip>` and `...` elisions and
// unmatched lines are skipped; the quoted `@@` header and file path, when present, pick between
// hunks whose lines look alike. Line numbers are 0-based indexes into the reply body's lines.
// Never throws: a reply whose quotes match nothing yields no anchors.
import { splitLines, type FileDiff, type Hunk, type HunkLine } from './diff.js';
import { parseHunkHeader } from './diff.js';
import { quoteInfo } from './quoting.js';
import { segmentBody, type Segment } from './segment.js';

export interface PatchDiffs {
  msgid: string;
  diffs: FileDiff[];
}

export interface LineMatch {
  /** 0-based line of the reply. */
  replyLine: number;
  /** Index in hunk.lines. */
  hunkLine: number;
  /** 'exact' (whitespace-insensitive), 'wrapped' (re-joined with the next quoted line), 'prefix' (the quote was cut short). */
  how: 'exact' | 'wrapped' | 'prefix';
}

export interface Anchor {
  /** Message-ID of the patch the quoted hunk comes from. */
  msgid: string;
  /** Path of the file (new path, or old path for a deletion). */
  file: string | null;
  /** Index of the file in that patch's FileDiff[]. */
  fileIndex: number;
  hunkIndex: number;
  /** Index in hunk.lines of the last non-blank quoted line matched before the comment: what the comment is about. */
  hunkLine: number;
  oldLine: number | null;
  newLine: number | null;
  /** Inclusive 0-based range of the quoted hunk lines in the reply. */
  quotedLines: [number, number];
  /** Inclusive 0-based range of the comment below the quote, or null when another quote follows directly. */
  commentLines: [number, number] | null;
  /** Quote depth of the comment: 0 for the replier's own words, n when the comment itself is quoted from an earlier mail. */
  commentDepth: number | null;
  /** Quote depth of the quoted hunk (0 when its markers were lost). */
  quoteDepth: number;
  /** Every quoted line that matched a hunk line. */
  matches: LineMatch[];
  /** 0..1: share of the quoted lines that matched, lowered when neither the `@@` header nor the path confirmed the hunk. */
  confidence: number;
}

interface Entry {
  replyLine: number;
  kind: 'add' | 'del' | 'context' | 'unknown';
  key: string;
}

interface Unit {
  entries: Entry[];
  header: { oldStart: number; newStart: number } | null;
  path: string | null;
  first: number;
  /** Last line of the unit inside the quoted-diff segment itself (trailing plain quote lines excluded). */
  last: number;
  depth: number;
  /** Index of the segment after which a comment may follow (the unit's last segment), or -1. */
  segAfter: number;
  markersLost: boolean;
}

const ELISION = /^\s*(?:\[\s*(?:\.{2,}|…|snip(?:ped)?)\s*\]|<\s*snip\s*>|\.{3,}|…|-+\s*snip\s*-+|\[\s*\.\.\.\s*[^\]]*\])\s*$/i;

function key(s: string): string {
  return s.replace(/\s+/g, '');
}

function lineContent(line: string, seg: Segment): string {
  return seg.depth > 0 && !seg.markersLost ? quoteInfo(line).content : line;
}

/** Turn the content of one quoted line into an entry, or note the header/path it gives. */
function entryOf(content: string, replyLine: number): Entry | null {
  if (content.trim() === '' || ELISION.test(content)) return null;
  const c = content[0];
  if (c === '+') return { replyLine, kind: 'add', key: key(content.slice(1)) };
  if (c === '-') return { replyLine, kind: 'del', key: key(content.slice(1)) };
  if (c === ' ') return { replyLine, kind: 'context', key: key(content.slice(1)) };
  return { replyLine, kind: 'unknown', key: key(content) };
}

const FILE_HEADER = /^(?:diff --git |index [0-9a-f]+\.\.|--- |\+\+\+ |new file mode|deleted file mode|similarity index|rename (?:from|to) |old mode|new mode|Index: |={20,})/;

function unitsOf(segs: Segment[], lines: string[]): Unit[] {
  const units: Unit[] = [];
  for (let s = 0; s < segs.length; s++) {
    const seg = segs[s];
    const isQuoted = seg.kind === 'quoted-diff';
    const isLost = seg.kind === 'diff';
    if (!isQuoted && !isLost) continue;
    let path: string | null = null;
    let unit: Unit | null = null;
    const start = (first: number): Unit => ({ entries: [], header: null, path, first, last: first, depth: seg.depth, segAfter: -1, markersLost: isLost });
    let lastSeg = s;
    // A plain quote of the same depth right after the quoted diff often holds its trailing
    // context lines (`> }`): read it too; lines that match nothing are ignored.
    const ranges: [number, number][] = [[seg.startLine, seg.endLine]];
    for (let k = s + 1; k < segs.length; k++) {
      const nx = segs[k];
      if (nx.kind === 'quote' && nx.depth === seg.depth && !nx.markersLost && isQuoted) {
        ranges.push([nx.startLine, nx.endLine]);
        lastSeg = k;
      } else break;
    }
    for (const [from, to] of ranges) {
      for (let i = from; i <= to; i++) {
        const content = lineContent(lines[i], seg);
        const header = parseHunkHeader(content.trim());
        if (header) {
          if (unit && unit.entries.length > 0) units.push(unit);
          unit = start(i);
          unit.header = { oldStart: header.oldStart, newStart: header.newStart };
          continue;
        }
        if (FILE_HEADER.test(content)) {
          const p = /^\+\+\+ (?:b\/)?(\S+)/.exec(content) ?? /^diff --git a\/\S+ b\/(\S+)/.exec(content) ?? /^Index: (\S+)/.exec(content);
          if (p && p[1] !== '/dev/null') path = p[1];
          if (unit && unit.entries.length > 0) {
            units.push(unit);
            unit = null;
          }
          continue;
        }
        const e = entryOf(content, i);
        if (!e) continue;
        unit ??= start(i);
        unit.path = unit.path ?? path;
        unit.entries.push(e);
        if (i <= seg.endLine) unit.last = i;
      }
    }
    if (unit && unit.entries.length > 0) {
      unit.segAfter = lastSeg;
      units.push(unit);
    }
    s = lastSeg;
  }
  return units;
}

function kindOk(e: Entry, l: HunkLine): boolean {
  if (l.kind === 'meta') return false;
  if (e.kind === 'unknown') return true;
  return e.kind === l.kind;
}

/** A hunk's line keys, computed once per hunk: every quoted unit is aligned against every hunk of the patch. */
const hunkKeys = new WeakMap<Hunk, string[]>();

function keysOf(hunk: Hunk): string[] {
  let keys = hunkKeys.get(hunk);
  if (!keys) {
    keys = hunk.lines.map((l) => key(l.text));
    hunkKeys.set(hunk, keys);
  }
  return keys;
}

/** Align a unit's entries in order against one hunk; returns matches keyed by entry index. */
function align(unit: Unit, hunk: Hunk): LineMatch[] {
  const out: LineMatch[] = [];
  const hl = hunk.lines;
  const keys = keysOf(hunk);
  let ptr = 0;
  const es = unit.entries;
  for (let k = 0; k < es.length; k++) {
    const e = es[k];
    if (e.key === '' && e.kind === 'unknown') continue;
    // Short lines (`}`, `{`, ``) match too easily: only near the current position.
    const limit = e.key.length < 4 ? Math.min(hl.length, ptr + 3) : hl.length;
    let found = -1;
    let how: LineMatch['how'] = 'exact';
    let consumed = 0;
    for (let j = ptr; j < limit && found < 0; j++) {
      if (!kindOk(e, hl[j])) continue;
      if (keys[j] === e.key) {
        found = j;
        break;
      }
      if (e.key.length >= 3 && keys[j].startsWith(e.key)) {
        // Wrapped: this quoted line and the next one(s) together make the hunk line.
        let joined = e.key;
        let n = 0;
        while (k + n + 1 < es.length && n < 3 && joined.length < keys[j].length) {
          const nx = es[k + n + 1];
          if (nx.kind !== 'unknown') break;
          joined += nx.key;
          n++;
          if (joined === keys[j]) break;
        }
        if (n > 0 && joined === keys[j]) {
          found = j;
          how = 'wrapped';
          consumed = n;
        } else if (e.key.length >= 12) {
          found = j;
          how = 'prefix';
        }
      }
    }
    if (found < 0) continue;
    out.push({ replyLine: e.replyLine, hunkLine: found, how });
    for (let n = 1; n <= consumed; n++) out.push({ replyLine: es[k + n].replyLine, hunkLine: found, how });
    k += consumed;
    ptr = found + 1;
  }
  return out;
}

interface Best {
  patch: number;
  file: number;
  hunk: number;
  matches: LineMatch[];
  confirmed: boolean;
  score: number;
}

function bestHunk(unit: Unit, patches: PatchDiffs[]): Best | null {
  let best: Best | null = null;
  patches.forEach((p, pi) => {
    p.diffs.forEach((f, fi) => {
      const pathOk = unit.path !== null && (unit.path === f.newPath || unit.path === f.oldPath);
      if (unit.path !== null && !pathOk) return;
      f.hunks.forEach((h, hi) => {
        const matches = align(unit, h);
        if (matches.length === 0) return;
        const headerOk = unit.header !== null && unit.header.oldStart === h.oldStart && unit.header.newStart === h.newStart;
        const score = matches.length + (headerOk ? 3 : 0) + (pathOk ? 1 : 0);
        // A quoted `@@` header that names other lines says this is not the hunk (a later version, a sketch).
        const confirmed = headerOk || (pathOk && unit.header === null);
        if (!best || score > best.score) best = { patch: pi, file: fi, hunk: hi, matches, confirmed, score };
      });
    });
  });
  return best;
}

function nonBlankRange(lines: string[], from: number, to: number, seg: Segment | null): [number, number] | null {
  let a = from;
  let b = to;
  const blank = (i: number): boolean => (seg ? lineContent(lines[i], seg) : lines[i]).trim() === '';
  while (a <= b && blank(a)) a++;
  while (b >= a && blank(b)) b--;
  return a <= b ? [a, b] : null;
}

/** The comment under a quoted unit: the next run of shallower text, or null. */
function commentAfter(segs: Segment[], lines: string[], after: number, depth: number, lost: boolean): { range: [number, number]; depth: number } | null {
  let range: [number, number] | null = null;
  let cdepth: number | null = null;
  for (let k = after + 1; k < segs.length; k++) {
    const s = segs[k];
    const r = nonBlankRange(lines, s.startLine, s.endLine, s);
    if (r === null) continue;
    const commentish: number | null = cdepth === null ? (s.kind === 'text' || s.kind === 'trailers' ? 0 : s.kind === 'quote' ? s.depth : null) : null;
    const d: number | null = cdepth ?? commentish;
    if (d === null) break;
    const shallower = lost ? d === 0 : d < depth;
    const sameRun = (d === 0 && (s.kind === 'text' || s.kind === 'trailers') && s.depth === 0) || (d > 0 && s.kind === 'quote' && s.depth === d && !s.markersLost);
    if (!shallower || !sameRun) break;
    cdepth = d;
    range = range ? [range[0], r[1]] : r;
  }
  return range && cdepth !== null ? { range, depth: cdepth } : null;
}

/**
 * Anchor every quoted hunk in `replyBody` to the patch it quotes and each comment under it to the
 * hunk line it follows. `patches` are the candidate originals (usually the thread's patch mails);
 * leave the reply itself out: an unquoted diff is matched too (text dumps lose quote markers), so a
 * patch mail passed as its own candidate would anchor to itself.
 */
export function anchorReply(replyBody: string, patches: PatchDiffs[], segments?: Segment[], bodyLines?: string[]): Anchor[] {
  const body = typeof replyBody === 'string' ? replyBody : '';
  if (!Array.isArray(patches) || patches.length === 0) return [];
  const lines = bodyLines ?? splitLines(body);
  const segs = segments ?? segmentBody(body);
  const anchors: Anchor[] = [];
  for (const unit of unitsOf(segs, lines)) {
    const best = bestHunk(unit, patches);
    if (!best) continue;
    const countable = unit.entries.filter((e) => e.key !== '').length;
    const ratio = countable > 0 ? Math.min(1, best.matches.length / countable) : 0;
    // Without the header or path confirming the hunk, a few look-alike lines are not enough; a
    // diff with no quote markers may be the replier's own patch, so it must clearly match.
    if (!best.confirmed && ratio < 0.5) continue;
    if (unit.markersLost && ratio < 0.6) continue;
    // The comment is about the last quoted line that says something: a quoted blank `+` line
    // closing the block is not it.
    const hunkLines = patches[best.patch].diffs[best.file].hunks[best.hunk].lines;
    const last = [...best.matches].reverse().find((m) => hunkLines[m.hunkLine].text.trim() !== '') ?? best.matches[best.matches.length - 1];
    const lastQuoted = best.matches[best.matches.length - 1];
    const f = patches[best.patch].diffs[best.file];
    const hl = f.hunks[best.hunk].lines[last.hunkLine];
    const comment = unit.segAfter >= 0 ? commentAfter(segs, lines, unit.segAfter, unit.depth, unit.markersLost) : null;
    const confidence = Math.round(ratio * (best.confirmed ? 1 : 0.85) * (unit.markersLost ? 0.8 : 1) * 1000) / 1000;
    anchors.push({
      msgid: patches[best.patch].msgid,
      file: f.newPath ?? f.oldPath,
      fileIndex: best.file,
      hunkIndex: best.hunk,
      hunkLine: last.hunkLine,
      oldLine: hl.oldLine,
      newLine: hl.newLine,
      quotedLines: [unit.first, Math.max(unit.last, lastQuoted.replyLine)],
      commentLines: comment ? comment.range : null,
      commentDepth: comment ? comment.depth : null,
      quoteDepth: unit.depth,
      matches: best.matches,
      confidence,
    });
  }
  return anchors;
}
