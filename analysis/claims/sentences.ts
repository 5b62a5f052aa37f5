// Sentence segmentation for kernel review mail.
//
// Mail text is wrapped at ~72 columns, so a sentence continues across line breaks and a blank
// line ends a paragraph. Inside a paragraph a `.`, `?` or `!` ends a sentence only when it is
// followed by white space and then by something that can start a sentence; code identifiers
// (`ms->usage`, `pfn_valid()`, `a.b`), paths (`mm/sparse.c`) and versions (`v5.12`, `5.12-rc1`)
// never have white space after their dots, and abbreviations (`e.g.`, `i.e.`) and list markers
// (`1.`, `#3.`) are recognised by the word they end. Every sentence keeps the body lines and
// columns it was read from.
import type { Sentence } from './types.js';

/** Words that end with a dot without ending the sentence. `etc.` is handled on its own. */
const ABBREVIATIONS = new Set([
  'e.g', 'eg', 'i.e', 'ie', 'vs', 'cf', 'approx', 'resp', 'incl', 'fig', 'al', 'mr', 'dr', 'ca', 'viz', 'w.r.t', 'a.k.a', 'n.b',
]);

const LIST_ITEM = /^\s*(?:\d{1,2}[.)]|#\d+[.):]|[-*•+]|[a-z]\))\s+\S/;
const CODE_LINE = /(?:[;{}\\]\s*$)|(?:^\s*#\s*(?:define|include|if|ifdef|ifndef|endif|else)\b)|(?::=)|(?:^\s*(?:if|for|while|return|switch)\s*\(.*[;{)]\s*$)/;

interface Piece {
  line: number;
  col: number;
  text: string;
}

/** Splits the given inclusive line ranges of `lines` into paragraphs of trimmed line pieces. */
export function paragraphs(lines: readonly string[], ranges: ReadonlyArray<readonly [number, number]>): Piece[][] {
  const out: Piece[][] = [];
  for (const [from, to] of ranges) {
    let current: Piece[] = [];
    const flush = (): void => {
      if (current.length > 0) out.push(current);
      current = [];
    };
    for (let ln = Math.max(0, from); ln <= Math.min(to, lines.length - 1); ln++) {
      const raw = lines[ln];
      const trimmedStart = raw.length - raw.trimStart().length;
      const text = raw.trim();
      if (text === '') {
        flush();
        continue;
      }
      const piece: Piece = { line: ln, col: trimmedStart, text };
      if (CODE_LINE.test(raw)) {
        flush();
        out.push([piece]);
        continue;
      }
      if (LIST_ITEM.test(raw)) flush();
      current.push(piece);
      if (/:\s*$/.test(text)) flush();
    }
    flush();
  }
  return out;
}

/** A paragraph joined into one string; `at(offset)` gives the body position of any character. */
interface Joined {
  text: string;
  at(offset: number): { line: number; col: number };
}

/** White space the join collapses: a piece (trimmed) without any of it runs is copied whole. */
const LOOSE_SPACE = /[\t\u00a0\f\v]| {2}/;

/**
 * One piece of the joined text: from `from` on, line `line`; a piece copied whole maps offset
 * `from + i` to column `col + i`, a collapsed one keeps the column of each character it kept.
 * The single space put between two pieces belongs to the second, at its first column.
 */
interface Span {
  from: number;
  line: number;
  col: number;
  cols: number[] | null;
}

function join(pieces: readonly Piece[]): Joined {
  const parts: string[] = [];
  const spans: Span[] = [];
  let n = 0;
  let lastWasSpace = true;
  for (const p of pieces) {
    if (!lastWasSpace) {
      parts.push(' ');
      spans.push({ from: n++, line: p.line, col: p.col, cols: [p.col] });
      lastWasSpace = true;
    }
    if (p.text.length > 0 && !LOOSE_SPACE.test(p.text)) {
      // Most lines: single spaces between words, none at the ends (pieces are trimmed).
      parts.push(p.text);
      spans.push({ from: n, line: p.line, col: p.col, cols: null });
      n += p.text.length;
      lastWasSpace = p.text[p.text.length - 1] === ' ';
      continue;
    }
    const cols: number[] = [];
    spans.push({ from: n, line: p.line, col: p.col, cols });
    for (let i = 0; i < p.text.length; i++) {
      const ch = p.text[i];
      const space = ch === ' ' || ch === '\t' || ch === '\u00a0' || ch === '\f' || ch === '\v';
      if (space && lastWasSpace) continue;
      parts.push(space ? ' ' : ch);
      cols.push(p.col + i);
      n++;
      lastWasSpace = space;
    }
  }
  const at = (offset: number): { line: number; col: number } => {
    let lo = 0;
    let hi = spans.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (spans[mid].from <= offset) lo = mid;
      else hi = mid - 1;
    }
    const sp = spans[lo];
    return { line: sp.line, col: sp.cols ? sp.cols[offset - sp.from] : sp.col + (offset - sp.from) };
  };
  return { text: parts.join(''), at };
}

function wordBefore(text: string, end: number): string {
  let i = end;
  while (i > 0 && text[i - 1] !== ' ') i--;
  return text.slice(i, end);
}

function wordAfter(text: string, start: number): string {
  let i = start;
  while (i < text.length && text[i] !== ' ') i++;
  return text.slice(start, i);
}

/** True when a word can begin a sentence after a full stop. */
function canStartSentence(word: string): boolean {
  const c = word[0];
  if (c === undefined) return false;
  if (/[A-Z0-9"'(\[#*<`]/.test(c)) return true;
  // Lower-case starts are accepted only for code identifiers: `pfn_to_page(x) for ...`.
  return /[a-z_]/.test(c) && /[_(]|->/.test(word);
}

/** Offsets (exclusive ends) at which sentences end inside one paragraph string. */
export function sentenceEnds(text: string): number[] {
  const ends: number[] = [];
  let sentenceStart = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== '.' && ch !== '?' && ch !== '!') continue;
    let j = i + 1;
    while (j < text.length && /[.?!)"'\]]/.test(text[j])) j++;
    if (j < text.length && text[j] !== ' ') {
      i = j - 1;
      continue;
    }
    const next = wordAfter(text, j + 1);
    const before = wordBefore(text, i).toLowerCase();
    const body = text.slice(sentenceStart, i).trim();
    let boundary: boolean;
    if (j >= text.length) boundary = false; // the paragraph end closes the sentence anyway
    else if (body === '' || /^[.?!]*$/.test(body)) boundary = false; // a leading "..." is not a sentence
    else if (ch === '?' || ch === '!') boundary = true;
    else if (ABBREVIATIONS.has(before.replace(/^[(\["']+/, ''))) boundary = false;
    else if (before === 'etc' || before === 'etc.') boundary = /^[A-Z]/.test(next);
    else if (/^(?:#?\d{1,2}|[a-z])$/.test(before) && body === before) boundary = false; // list marker "1." / "#3."
    else boundary = canStartSentence(next);
    if (boundary) {
      ends.push(j);
      sentenceStart = j;
    }
    i = j - 1;
  }
  ends.push(text.length);
  return ends;
}

/**
 * Splits the own-text ranges of a message body into sentences. Indices start at `firstIndex`
 * so that callers can number own and quoted sentences in one sequence.
 */
export function splitSentences(
  lines: readonly string[],
  ranges: ReadonlyArray<readonly [number, number]>,
  firstIndex = 0,
): Sentence[] {
  const out: Sentence[] = [];
  for (const para of paragraphs(lines, ranges)) {
    const joined = join(para);
    let start = 0;
    for (const end of sentenceEnds(joined.text)) {
      let s = start;
      while (s < end && joined.text[s] === ' ') s++;
      let e = end;
      while (e > s && joined.text[e - 1] === ' ') e--;
      start = end;
      if (e <= s) continue;
      const last = joined.at(e - 1);
      out.push({
        index: firstIndex + out.length,
        text: joined.text.slice(s, e),
        start: joined.at(s),
        end: { line: last.line, col: last.col + 1 },
      });
    }
  }
  return out;
}
