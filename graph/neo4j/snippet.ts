// Search snippets for Neo4j hits, cut exactly as the embedded store's FTS5 cuts them with
// snippet(message_fts, 3, open, close, '…', 16), so a search shows the same text on either store.
// This follows SQLite's fts5SnippetFunction (ext/fts5/fts5_aux.c, SQLite 3.53) step by step:
//   - the body is split into tokens as the unicode61 tokenizer (with `_` as a token character)
//     splits it; tokens compare case- and diacritic-folded;
//   - every place a query phrase occurs in the body is an instance; each instance proposes a
//     window of `size` tokens centred on the instances it covers (1000 points for each phrase seen
//     first, 1 for each repeat), and a window starting at the sentence around the instance
//     (a token after `.` or `:` and white space) gets 100 points more, 120 at the body's start;
//   - the best window (first found wins a tie) is printed from its first token to its last, with
//     the matched phrases marked (overlapping ones merged), `…` where the body was cut, and the
//     body's leading text when the window starts at its first token, its trailing text when it
//     ends at its last.
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../store.js';

/** One phrase of the query: its folded tokens; `prefix` when the last one is a prefix (`irq*`). */
export interface Phrase {
  tokens: string[];
  prefix: boolean;
}

interface Token {
  start: number;
  end: number;
  folded: string;
}

interface Instance {
  phrase: number;
  /** First token of the occurrence. */
  at: number;
  size: number;
}

const ELLIPSIS = '…';

/** The combining marks unicode61 keeps inside a token (sqlite3Fts5UnicodeIsdiacritic). */
const DIACRITICS = (() => {
  const masks = [0x08029fdf, 0x000361f8];
  let chars = '';
  for (let c = 768; c <= 817; c++) {
    const bit = c < 800 ? masks[0] & (1 << (c - 768)) : masks[1] & (1 << (c - 800));
    if (bit) chars += String.fromCharCode(c);
  }
  return chars;
})();

/** unicode61's token: letters, numbers, private-use characters and `_`, with diacritics inside. */
const TOKEN = new RegExp(`[\\p{L}\\p{N}\\p{Co}_][\\p{L}\\p{N}\\p{Co}_${DIACRITICS}]*`, 'gu');

/** Case and diacritics folded, as unicode61 (remove_diacritics 1) folds a token. */
export function foldToken(token: string): string {
  const lower = token.toLowerCase();
  // ASCII needs no more; anything else loses its combining marks.
  return /^[\x00-\x7f]*$/.test(lower) ? lower : lower.normalize('NFD').replace(/\p{Mn}/gu, '').normalize('NFC');
}

export function tokenize(text: string): Token[] {
  return [...text.matchAll(TOKEN)].map((m) => ({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, folded: foldToken(m[0]) }));
}

function occursAt(tokens: Token[], at: number, p: Phrase): boolean {
  if (p.tokens.length === 0 || at + p.tokens.length > tokens.length) return false;
  return p.tokens.every((t, k) => {
    const word = tokens[at + k].folded;
    return p.prefix && k === p.tokens.length - 1 ? word.startsWith(t) : word === t;
  });
}

/** Every occurrence of every phrase, by position, then phrase (the order FTS5's xInst gives). */
function instances(tokens: Token[], phrases: Phrase[]): Instance[] {
  const out: Instance[] = [];
  for (let at = 0; at < tokens.length; at++) {
    phrases.forEach((p, phrase) => {
      if (occursAt(tokens, at, p)) out.push({ phrase, at, size: p.tokens.length });
    });
  }
  return out;
}

/** Tokens that begin a sentence: the first, and any after `.` or `:` followed by white space. */
function sentenceStarts(body: string, tokens: Token[]): number[] {
  const out: number[] = [];
  tokens.forEach((t, k) => {
    if (k === 0) {
      out.push(0);
      return;
    }
    let i = t.start - 1;
    let c = '';
    for (; i >= 0; i--) {
      c = body[i];
      if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') break;
    }
    if (i !== t.start - 1 && (c === '.' || c === ':')) out.push(k);
  });
  return out;
}

/** fts5SnippetScore: the window [from, from + size) scored, and the start that centres what it covers. */
function score(inst: Instance[], from: number, size: number, docSize: number): { score: number; start: number } {
  const seen = new Set<number>();
  let total = 0;
  let first = -1;
  let last = 0;
  for (const x of inst) {
    if (x.at < from || x.at >= from + size) continue;
    total += seen.has(x.phrase) ? 1 : 1000;
    seen.add(x.phrase);
    if (first < 0) first = x.at;
    last = x.at + x.size;
  }
  let start = first - Math.trunc((size - (last - first)) / 2);
  if (start + size > docSize) start = docSize - size;
  if (start < 0) start = 0;
  return { score: total, start };
}

/** The first token of the best window. */
function bestStart(body: string, tokens: Token[], inst: Instance[], size: number): number {
  const starts = sentenceStarts(body, tokens);
  let best = 0;
  let bestAt = 0;
  for (const x of inst) {
    const centred = score(inst, x.at, size, tokens.length);
    if (centred.score > best) {
      best = centred.score;
      bestAt = centred.start;
    }
    if (starts.length > 0 && tokens.length > size) {
      let j = 0;
      while (j < starts.length - 1 && starts[j + 1] <= x.at) j++;
      if (starts[j] < x.at) {
        const sentence = score(inst, starts[j], size, tokens.length).score + (starts[j] === 0 ? 120 : 100);
        if (sentence > best) {
          best = sentence;
          bestAt = starts[j];
        }
      }
    }
  }
  return bestAt;
}

/** Merges overlapping instances into runs of tokens to mark (FTS5's coalesced instance iterator). */
class Runs {
  start = -1;
  end = -1;
  private next = 0;

  constructor(private readonly inst: Instance[]) {
    this.advance();
  }

  advance(): void {
    this.start = -1;
    this.end = -1;
    for (; this.next < this.inst.length; this.next++) {
      const x = this.inst[this.next];
      const end = x.at + x.size - 1;
      if (this.start < 0) {
        this.start = x.at;
        this.end = end;
      } else if (x.at <= this.end) {
        if (end > this.end) this.end = end;
      } else break;
    }
  }
}

/**
 * The snippet SQLite's FTS5 snippet() gives for `body` when the query's phrases are `phrases`:
 * `size` tokens, matches wrapped in SNIPPET_OPEN/SNIPPET_CLOSE, `…` where the body was cut.
 */
export function snippet(body: string, phrases: Phrase[], size = 16): string {
  const tokens = tokenize(body);
  const inst = instances(tokens, phrases);
  const from = bestStart(body, tokens, inst, size);
  const to = from + size - 1;
  const runs = new Runs(inst);
  while (runs.start >= 0 && runs.start < from) runs.advance();
  let out = from > 0 ? ELLIPSIS : '';
  let copied = 0;
  let open = false;
  for (let pos = from; pos <= to && pos < tokens.length; pos++) {
    const t = tokens[pos];
    if (from > 0 && pos === from) copied = t.start;
    if (open && (pos <= runs.start || runs.start < 0) && t.start > copied) {
      out += SNIPPET_CLOSE;
      open = false;
    }
    if (pos === runs.start && !open) {
      out += body.slice(copied, t.start) + SNIPPET_OPEN;
      copied = t.start;
      open = true;
    }
    if (pos === runs.end) {
      if (!open) {
        out += SNIPPET_OPEN;
        open = true;
      }
      out += body.slice(copied, t.end);
      copied = t.end;
      runs.advance();
    }
    if (pos === to) {
      if (open) {
        if (runs.start >= 0 && pos >= runs.start) {
          out += body.slice(copied, t.end);
          copied = t.end;
        }
        out += SNIPPET_CLOSE;
        open = false;
      }
      out += body.slice(copied, t.end);
      copied = t.end;
    }
  }
  if (open) out += SNIPPET_CLOSE;
  return out + (to >= tokens.length - 1 ? body.slice(copied) : ELLIPSIS);
}
