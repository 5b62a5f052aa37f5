// Matching the author named in an attribution line against a message's From name, tolerant of
// case, accents, `Last, First` order, middle names and a bare first name.

export function nameTokens(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);
}

/**
 * How well two author names agree: 1 for the same tokens in any order, 0.8 when one name's tokens
 * are all in the other (`Will` / `Will Deacon`, middle names), 0 otherwise.
 */
export function nameMatch(a: string | null, b: string | null): number {
  if (!a || !b) return 0;
  const ta = nameTokens(a);
  const tb = nameTokens(b);
  if (ta.length === 0 || tb.length === 0) return 0;
  const sa = new Set(ta);
  const sb = new Set(tb);
  const aInB = ta.every((t) => sb.has(t));
  const bInA = tb.every((t) => sa.has(t));
  if (aInB && bInA) return 1;
  if (aInB || bInA) return 0.8;
  return 0;
}

/** Match an attribution that kept only an address (`ira.we...@intel.com wrote:`) against a name. */
export function addressMatchesName(address: string | null, name: string | null): boolean {
  if (!address || !name) return false;
  const local = address.split('@')[0].replace(/\.{3}$/, '');
  const parts = local.split(/[._-]+/).filter((p) => p.length > 1);
  const toks = nameTokens(name);
  return parts.length > 0 && parts.every((p) => toks.some((t) => t.startsWith(p)));
}
