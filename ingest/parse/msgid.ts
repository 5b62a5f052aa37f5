// Message-ID handling: normalising what headers carry, and stable synthetic ids for messages
// that arrive without one (text dumps, broken mail).
import { createHash } from 'node:crypto';

/** Suffix of every synthetic Message-ID, so they can never collide with a real one. */
export const SYNTHETIC_DOMAIN = 'synthetic.loregraph.invalid';

/**
 * The first `<…>` token of a Message-ID / In-Reply-To value, without brackets; a bare token when
 * there are no brackets. Returns null for empty or absurd values (spaces inside, > 998 chars).
 */
export function normalizeMsgid(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const s = raw.replace(/\([^)]*\)/g, ' ').trim();
  const m = /<([^<>\s]+)>/.exec(s) ?? /<\s*([^<>]+?)\s*>/.exec(s);
  let id = m ? m[1] : s.split(/\s+/)[0];
  id = id.trim();
  if (!id || id.length > 998 || /\s/.test(id)) return null;
  return id;
}

/** Every `<…>` token of a References header, in order, without duplicates. */
export function parseReferences(raw: string | null | undefined): string[] {
  if (!raw) return [];
  const out: string[] = [];
  const seen = new Set<string>();
  for (const m of raw.matchAll(/<([^<>\s]+)>/g)) {
    const id = m[1];
    if (id.length > 998 || seen.has(id)) continue;
    seen.add(id);
    out.push(id);
  }
  return out;
}

/** Normalise body text for hashing: drop quote markers, whitespace runs and blank lines. */
export function normalizeForHash(text: string): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/^[\s>|]+/, '').replace(/\s+/g, ' ').trim())
    .filter((l) => l.length > 0)
    .join('\n');
}

/**
 * A stable Message-ID for a message that has none: a hash of author, date, subject and the
 * normalised body, so the same message read twice (or from two dumps) gets the same id.
 */
export function syntheticMsgid(parts: { author: string; date: string | null; subject: string; body: string }): string {
  const h = createHash('sha256');
  h.update(parts.author.trim().toLowerCase());
  h.update('\0');
  h.update(parts.date ?? '');
  h.update('\0');
  h.update(parts.subject.trim());
  h.update('\0');
  h.update(normalizeForHash(parts.body));
  return `${h.digest('hex').slice(0, 24)}@${SYNTHETIC_DOMAIN}`;
}

export function isSyntheticMsgid(id: string): boolean {
  return id.endsWith(`@${SYNTHETIC_DOMAIN}`);
}
