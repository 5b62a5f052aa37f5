// Mail address parsing for header values after RFC 2047 decoding, including the damaged forms
// archives produce: obfuscated domains, pipermail `user at host`, stripped `<…>`, HTML mangling.
import type { Address } from '../model.js';

const MAX_INPUT = 4096;

/** Domains/local parts that an archive replaced to hide the address (`@xxxxxxxxxx`, `k...@x`). */
function isObfuscated(addr: string): boolean {
  const at = addr.indexOf('@');
  const local = at >= 0 ? addr.slice(0, at) : addr;
  const domain = at >= 0 ? addr.slice(at + 1) : '';
  if (/^x{3,}$/i.test(domain) || /^x{3,}\./i.test(domain)) return true;
  if (/\.{3}$/.test(local) || local.includes('...')) return true;
  if (/^\[?email[ ._-]?protected\]?$/i.test(addr)) return true;
  if (at < 0 || !domain) return true;
  return false;
}

function cleanName(raw: string): string | null {
  let s = raw.trim();
  // Surrounding quotes, possibly unbalanced after archive damage.
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) s = s.slice(1, -1);
  s = s.replace(/^"+|"+$/g, '');
  s = s.replace(/\\(["\\])/g, '$1');
  s = s.replace(/\s+/g, ' ').trim();
  // A name that is just the address again (`a@b <a@b>`) is no name.
  if (!s || /^[^\s@]+@[^\s@]+$/.test(s)) return null;
  return s;
}

/** Remove HTML mail-client damage: `a@b<mailto:a@b>`, `<a@b<mailto:a@b>>`, `mailto:` prefixes. */
function unmangle(raw: string): string {
  let s = raw.replace(/<\s*mailto:[^<>]*>/gi, '');
  s = s.replace(/\bmailto:/gi, '');
  s = s.replace(/&lt;/gi, '<').replace(/&gt;/gi, '>').replace(/&quot;/gi, '"').replace(/&amp;/gi, '&');
  return s;
}

function emptyAddress(): Address {
  return { name: null, address: null, obfuscated: false };
}

function addressOf(token: string): Address['address'] {
  const t = token.trim().replace(/^<+|>+$/g, '').trim().toLowerCase();
  return t ? t : null;
}

/** Parse one address. Never throws; what cannot be read comes back as nulls. */
export function parseAddress(raw: string): Address {
  try {
    return parseAddressUnsafe(typeof raw === 'string' ? raw : String(raw));
  } catch {
    return emptyAddress();
  }
}

function parseAddressUnsafe(input: string): Address {
  let s = unmangle(input.slice(0, MAX_INPUT)).replace(/[\r\n\t]+/g, ' ').trim();
  // Group syntax remnants: `undisclosed-recipients:;`, trailing `;`.
  s = s.replace(/;+\s*$/, '').trim();
  if (!s || /^[^<>@"(]*:$/.test(s)) return emptyAddress();
  // `group: a@b` — the group name is not part of the address.
  s = s.replace(/^[A-Za-z][\w .'-]*:\s+(?=\S+@|"|[^<>]*<)/, '');

  // pipermail / hypermail: `user at domain.com ( Name )` or `user at domain.com`.
  const piper = /^(?:"?([^"<]*?)"?\s*<)?\s*([^\s@<>()"]+)\s+at\s+([A-Za-z0-9][\w.-]*\.[A-Za-z]{2,})\s*>?\s*(?:\(\s*([^)]*?)\s*\))?$/i.exec(s);
  if (piper) {
    const name = cleanName(piper[4] ?? piper[1] ?? '');
    return { name, address: `${piper[2]}@${piper[3]}`.toLowerCase(), obfuscated: true };
  }

  // Name <addr>: the last angle group is the address.
  const angle = /^(.*?)<([^<>]*)>+\s*(?:\(([^)]*)\))?\s*$/.exec(s);
  if (angle) {
    const addr = addressOf(angle[2]);
    let name = cleanName(angle[1]);
    if (!name && angle[3]) name = cleanName(angle[3]);
    if (!addr) return { name, address: null, obfuscated: name !== null };
    if (/\s/.test(addr)) {
      // `<Name>` with no address inside: an archive replaced the address by the name.
      return { name: name ?? cleanName(angle[2]), address: null, obfuscated: true };
    }
    return { name, address: addr, obfuscated: isObfuscated(addr) };
  }

  // Old style `a@b (Name)`.
  const comment = /^([^\s()<>"]+@[^\s()<>"]*)\s*\(([^)]*)\)?\s*$/.exec(s);
  if (comment) {
    const addr = addressOf(comment[1]);
    return { name: cleanName(comment[2]), address: addr, obfuscated: addr ? isObfuscated(addr) : false };
  }

  // Bare `a@b` (possibly followed by a stray name: `a@b Name`).
  const bare = /^([^\s()<>"]+@[^\s()<>"]*)(?:\s+(.*))?$/.exec(s);
  if (bare) {
    const addr = addressOf(bare[1]);
    return { name: bare[2] ? cleanName(bare[2]) : null, address: addr, obfuscated: addr ? isObfuscated(addr) : false };
  }

  // `Name a@b` (angle brackets stripped but address kept at the end).
  const tail = /^(.*\S)\s+([^\s()<>"]+@[^\s()<>"]+)$/.exec(s);
  if (tail) {
    const addr = addressOf(tail[2]);
    return { name: cleanName(tail[1]), address: addr, obfuscated: addr ? isObfuscated(addr) : false };
  }

  // Only a name: the archive removed the address entirely (`Qian Cai `).
  const name = cleanName(s.replace(/\(\s*\)|<\s*>/g, ''));
  return { name, address: null, obfuscated: name !== null };
}

/** Split at top-level commas: not inside quotes, angle brackets or parentheses. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depthAngle = 0;
  let depthParen = 0;
  let inQuote = false;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inQuote) {
      cur += c;
      if (c === '\\' && i + 1 < s.length) cur += s[++i];
      else if (c === '"') inQuote = false;
      continue;
    }
    if (c === '"') inQuote = true;
    else if (c === '<') depthAngle++;
    else if (c === '>') depthAngle = Math.max(0, depthAngle - 1);
    else if (c === '(') depthParen++;
    else if (c === ')') depthParen = Math.max(0, depthParen - 1);
    else if ((c === ',' || c === ';') && depthAngle === 0 && depthParen === 0) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  parts.push(cur);
  return parts;
}

const HAS_ADDRESS = /@|<[^>]*>|\sat\s/;

/**
 * Parse an address list (To, Cc). Handles group syntax and unquoted commas in names
 * (`Saidi, Ali <a@b>`): a single word without an address is joined to the next entry when that
 * entry carries an address. Never throws.
 */
export function parseAddressList(raw: string): Address[] {
  try {
    const s = unmangle(String(raw).slice(0, MAX_INPUT * 16)).replace(/[\r\n\t]+/g, ' ');
    // Drop group display names (`friends: a@b, c@d;`), but not `mailto:` or times.
    const noGroups = s.replace(/(^|[,;])\s*[A-Za-z][\w .'-]*:(?!\/\/)\s*/g, '$1 ');
    const pieces = splitTopLevel(noGroups).map((p) => p.trim());
    const merged: string[] = [];
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i];
      if (!p) continue;
      const next = pieces[i + 1];
      if (!HAS_ADDRESS.test(p) && !/\s/.test(p) && !p.includes('"') && next && HAS_ADDRESS.test(next) && /</.test(next)) {
        const nameBefore = next.slice(0, next.indexOf('<')).trim();
        if (nameBefore && !nameBefore.includes('"')) {
          pieces[i + 1] = `"${p}, ${nameBefore}" ${next.slice(next.indexOf('<'))}`;
          continue;
        }
      }
      merged.push(p);
    }
    const out: Address[] = [];
    for (const p of merged) {
      const a = parseAddress(p);
      if (a.name !== null || a.address !== null) out.push(a);
    }
    return out;
  } catch {
    return [];
  }
}
