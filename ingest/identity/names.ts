// Name and address keys for identity resolution.

/** A display name reduced for comparison, and how it was reduced. */
export interface NameKey {
  /** `first last`: lower case, accents removed, initials and `(corporate)`/`[x]` notes dropped. */
  key: string;
  /** True when the name was written `Last, First` and reordered. */
  reordered: boolean;
  /** Number of words of at least two letters in the key. */
  words: number;
}

/** Reduce a display name to a comparison key; null when nothing name-like is left. */
export function nameKey(raw: string | null | undefined): NameKey | null {
  if (!raw) return null;
  let s = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/["'`]/g, '')
    .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
  if (!s || s.includes('@')) return null;
  let reordered = false;
  const comma = /^([^,]+),\s*([^,]+)$/.exec(s);
  if (comma) {
    s = `${comma[2]} ${comma[1]}`;
    reordered = true;
  }
  const parts = s
    .split(/[\s.]+/)
    .map((w) => w.replace(/[^a-z0-9-]/g, ''))
    .filter((w) => w.length >= 2);
  if (parts.length === 0) return null;
  return { key: parts.join(' '), reordered, words: parts.length };
}

/** Local parts that name a role or a list rather than a person; never used to merge. */
const GENERIC_LOCAL = new Set([
  'root', 'admin', 'info', 'dev', 'devel', 'patches', 'patch', 'linux', 'kernel', 'test', 'list', 'lists',
  'noreply', 'no-reply', 'bugs', 'bug', 'support', 'mail', 'postmaster', 'lkp', 'robot', 'bot', 'git', 'owner',
]);

/** Public mail providers: one local part there at two of their domains is not one account. */
const PUBLIC_MAIL = new Set([
  'gmail', 'googlemail', 'yahoo', 'hotmail', 'outlook', 'live', 'msn', 'aol', 'icloud', 'me', 'mail', 'gmx', 'web',
  'qq', '163', '126', 'yandex', 'protonmail', 'proton', 'fastmail', 'zoho', 'mailbox', 'posteo',
]);

/** Country-code second levels under which the organisation is the third label (`amazon.co.uk`). */
const SECOND_LEVEL = new Set(['co', 'com', 'ac', 'org', 'net', 'gov', 'edu', 'ne', 'or']);

/** The organisation label of a domain: `amazon` for amazon.com, amazon.co.uk, mail.amazon.de. */
export function domainFamily(domain: string): string | null {
  const labels = domain.toLowerCase().split('.').filter((l) => l.length > 0);
  if (labels.length < 2) return null;
  const tld = labels[labels.length - 1];
  const second = labels[labels.length - 2];
  if (tld.length === 2 && SECOND_LEVEL.has(second) && labels.length >= 3) return labels[labels.length - 3];
  return second;
}

/** `local@family` for the local-part rule; null for generic or short local parts and public mail providers. */
export function localFamilyKey(address: string): string | null {
  const at = address.lastIndexOf('@');
  if (at <= 0) return null;
  const local = address.slice(0, at).toLowerCase();
  const family = domainFamily(address.slice(at + 1));
  if (!family || PUBLIC_MAIL.has(family) || local.length < 4 || GENERIC_LOCAL.has(local) || local.includes('+')) return null;
  return `${local}@${family}`;
}
