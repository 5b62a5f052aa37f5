// Turning what a user types into a Lucene query for Neo4j's full-text index, with the same reading
// as the embedded store's FTS5 query (graph/sqlite/fts.ts): words are ANDed, "double quoted
// phrases" stay phrases, a trailing * on a word is a prefix search, OR between two terms is kept.
// Every term is reduced to word tokens (letters, digits, `_`) before it is written into the
// query, so Lucene syntax typed by a user (`+`, `-`, `:`, `~`, `(`…) is never executed.
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../store.js';

const TOKEN = /"([^"]*)"|(\S+)/g;
const WORD = /[\p{L}\p{N}_]+/gu;

function tokens(raw: string): string[] {
  return (raw.match(WORD) ?? []).map((t) => t.toLowerCase());
}

export interface LuceneQuery {
  /** The query for db.index.fulltext.queryNodes. */
  lucene: string;
  /** Lower-cased words to highlight; a trailing `*` marks a prefix. */
  highlight: string[];
}

export function toLuceneQuery(text: string): LuceneQuery | null {
  const parts: string[] = [];
  const highlight: string[] = [];
  for (const m of text.matchAll(TOKEN)) {
    if (m[1] !== undefined) {
      const toks = tokens(m[1]);
      if (toks.length === 0) continue;
      parts.push(`"${toks.join(' ')}"`);
      highlight.push(...toks);
      continue;
    }
    const raw = m[2];
    if (raw === 'OR' && parts.length > 0 && parts[parts.length - 1] !== 'OR') {
      parts.push('OR');
      continue;
    }
    const toks = tokens(raw);
    if (toks.length === 0) continue;
    if (raw.endsWith('*') && toks.length === 1) {
      parts.push(`${toks[0]}*`);
      highlight.push(`${toks[0]}*`);
    } else {
      // `ms->usage` → the phrase "ms usage": the words must stand together.
      parts.push(`"${toks.join(' ')}"`);
      highlight.push(...toks);
    }
  }
  while (parts.length && parts[parts.length - 1] === 'OR') parts.pop();
  if (parts.length === 0) return null;
  // Join with explicit AND except around an OR the user wrote.
  let lucene = '';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (i === 0) lucene = p;
    else if (p === 'OR' || parts[i - 1] === 'OR') lucene += ` ${p}`;
    else lucene += ` AND ${p}`;
  }
  return { lucene, highlight };
}

function matches(word: string, highlight: string[]): boolean {
  const w = word.toLowerCase();
  return highlight.some((h) => (h.endsWith('*') ? w.startsWith(h.slice(0, -1)) : w === h));
}

/**
 * A window of about `size` words of `body` around the first highlighted word, matches wrapped in
 * SNIPPET_OPEN/SNIPPET_CLOSE and `…` where the text was cut (the embedded store's FTS5 snippet()
 * gives the same shape). Without a match in the body, the body's first words.
 */
export function snippet(body: string, highlight: string[], size = 16): string {
  const words = [...body.matchAll(WORD)].map((m) => ({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, text: m[0] }));
  if (words.length === 0) return '';
  const first = words.findIndex((w) => matches(w.text, highlight));
  const from = first < 0 ? 0 : Math.max(0, Math.min(first - Math.floor(size / 4), words.length - size));
  const to = Math.min(words.length, from + size);
  let out = from > 0 ? '…' : '';
  let pos = words[from].start;
  for (let i = from; i < to; i++) {
    const w = words[i];
    out += body.slice(pos, w.start);
    out += matches(w.text, highlight) ? `${SNIPPET_OPEN}${w.text}${SNIPPET_CLOSE}` : w.text;
    pos = w.end;
  }
  if (to < words.length) out += '…';
  return out.replace(/\s+/g, ' ').trim();
}
