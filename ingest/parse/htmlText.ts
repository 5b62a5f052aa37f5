// Plain text from an HTML-only mail body: enough for review text (paragraphs, line breaks,
// quotes, entities), not a renderer. Scripts and styles are dropped.

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  copy: '©',
  reg: '®',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  middot: '·',
  bull: '•',
  deg: '°',
  euro: '€',
  trade: '™',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);/gi, (whole, ent: string) => {
    if (ent[0] === '#') {
      const cp = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      if (Number.isFinite(cp) && cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
        return String.fromCodePoint(cp);
      }
      return whole;
    }
    return NAMED[ent.toLowerCase()] ?? whole;
  });
}

/** Convert an HTML document or fragment to text. Never throws. */
export function htmlToText(html: string): string {
  let s = html.replace(/<!--[\s\S]*?-->/g, '');
  s = s.replace(/<(script|style|head|title)\b[\s\S]*?<\/\1\s*>/gi, '');
  // Blockquote levels become `> ` prefixes.
  s = s.replace(/<blockquote\b[^>]*>/gi, '\n\u0001').replace(/<\/blockquote\s*>/gi, '\u0002\n');
  s = s.replace(/<br\s*\/?>/gi, '\n');
  s = s.replace(/<\/(p|div|tr|li|h[1-6]|pre|table)\s*>/gi, '\n');
  s = s.replace(/<(p|div|tr|li|h[1-6]|pre|table)\b[^>]*>/gi, '\n');
  s = s.replace(/<[^>]*>/g, '');
  s = s.replace(/[ \t\r]*\n/g, '\n');
  // Apply quote depth line by line.
  let depth = 0;
  const out: string[] = [];
  for (const line of s.split('\n')) {
    let text = '';
    let lineDepth = depth;
    for (const ch of line) {
      if (ch === '\u0001') {
        depth++;
        lineDepth = Math.max(lineDepth, depth);
      } else if (ch === '\u0002') depth = Math.max(0, depth - 1);
      else text += ch;
    }
    const decoded = decodeEntities(text).replace(/[ \t\u00a0]+/g, ' ').trim();
    out.push((lineDepth > 0 ? '> '.repeat(lineDepth) : '') + decoded);
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
