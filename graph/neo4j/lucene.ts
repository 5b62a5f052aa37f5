// Turning what a user types into a Lucene query for Neo4j's full-text index, with the same reading
// as the embedded store's FTS5 query (graph/sqlite/fts.ts): words are ANDed, "double quoted
// phrases" stay phrases, a trailing * on a word is a prefix search, OR between two terms is kept.
// Every term is reduced to word tokens (letters, digits, `_`) before it is written into the
// query, so Lucene syntax typed by a user (`+`, `-`, `:`, `~`, `(`…) is never executed.
import { foldToken, type Phrase } from './snippet.js';

const TOKEN = /"([^"]*)"|(\S+)/g;
const WORD = /[\p{L}\p{N}_]+/gu;

function tokens(raw: string): string[] {
  return (raw.match(WORD) ?? []).map((t) => t.toLowerCase());
}

/** Query words as the full-text tokenizer folds them, for finding them in a body. */
function folded(toks: string[]): string[] {
  return toks.map(foldToken);
}

export interface LuceneQuery {
  /** The query for db.index.fulltext.queryNodes. */
  lucene: string;
  /** The query's phrases in order, as the embedded store's FTS5 query has them (for snippets). */
  phrases: Phrase[];
}

export function toLuceneQuery(text: string): LuceneQuery | null {
  const parts: string[] = [];
  const phrases: Phrase[] = [];
  for (const m of text.matchAll(TOKEN)) {
    if (m[1] !== undefined) {
      const toks = tokens(m[1]);
      if (toks.length === 0) continue;
      parts.push(`"${toks.join(' ')}"`);
      phrases.push({ tokens: folded(toks), prefix: false });
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
      phrases.push({ tokens: folded(toks), prefix: true });
    } else {
      // `ms->usage` → the phrase "ms usage": the words must stand together.
      parts.push(`"${toks.join(' ')}"`);
      phrases.push({ tokens: folded(toks), prefix: false });
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
  return { lucene, phrases };
}
