// Turning what a user types into an FTS5 query without letting FTS5 syntax through by accident.
//
// Words are ANDed; "double quoted phrases" stay phrases; a trailing * on a word is a prefix
// search; OR between two terms is kept. Everything else is quoted, so `pfn_valid()`,
// `ms->usage` or `mm/sparse.c` search for their tokens instead of being parsed as FTS5 syntax.

const TOKEN = /"([^"]*)"|(\S+)/g;

function quote(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/** Split a raw term the way the unicode61 tokenizer (with `_` as a token char) would. */
function tokens(raw: string): string[] {
  return raw.split(/[^\p{L}\p{N}_]+/u).filter((t) => t.length > 0);
}

export function toFtsQuery(text: string): string | null {
  const parts: string[] = [];
  for (const m of text.matchAll(TOKEN)) {
    if (m[1] !== undefined) {
      const toks = tokens(m[1]);
      if (toks.length) parts.push(quote(toks.join(' ')));
      continue;
    }
    const raw = m[2];
    if (raw === 'OR' && parts.length > 0) {
      parts.push('OR');
      continue;
    }
    const prefix = raw.endsWith('*');
    const toks = tokens(raw);
    if (toks.length === 0) continue;
    // `ms->usage` → "ms" "usage" as a phrase, so the words must stand together.
    const phrase = quote(toks.join(' '));
    parts.push(prefix && toks.length === 1 ? `${phrase}*` : phrase);
  }
  while (parts.length && parts[parts.length - 1] === 'OR') parts.pop();
  if (parts.length === 0) return null;
  return parts.join(' ');
}
