// Trailer parsing (`Signed-off-by:`, `Reviewed-by:`, `Fixes:`, `Link:` …) with b4's semantics.
//
// A trailer is a line that starts in column 0 with `Name: value`. Lines quoted with `>` and lines
// indented inside review text (a reviewer restating trailers) are not trailers. Person trailers
// (`*-by`, `Cc`) carry a name and address; utility trailers (`Fixes`, `Link`, `Closes`, …) carry a
// value. Extra information for a trailer (b4's "extinfo") is a following `[...]` line (indented or
// not) or a trailing ` # comment`. A person trailer whose address was wrapped onto the next line is
// re-joined. `line` numbers are 0-based indexes into `text.split('\n')`.
// Never throws: text that does not look like a trailer is simply not one.
import type { Address } from '../model.js';
import { splitLines } from './diff.js';

export type TrailerKind = 'person' | 'utility';

export interface FixesRef {
  sha: string;
  subject: string | null;
  /** True for the kernel's required form: 12+ hex digits and `("subject")`. */
  valid: boolean;
}

export interface Trailer {
  /** Canonical spelling for well-known names (`Signed-off-by`, `Cc`, `Fixes` …); others as written. */
  name: string;
  /** The name exactly as written. */
  rawName: string;
  /** The value, cleaned: HTML `<mailto:>` junk removed, a trailing `# comment` and wrap joined. */
  value: string;
  kind: TrailerKind;
  /** Name and address of a person trailer. */
  person?: Address;
  /** `[for the parts that are bogus]` on the next line, or `  # comment` at the end, verbatim; else null. */
  extinfo: string | null;
  /** 0-based line of the trailer in the parsed text. */
  line: number;
  /** 0-based last line the trailer uses (a wrapped address or an extinfo line), ≥ line. */
  endLine: number;
  fixes?: FixesRef;
}

const CANONICAL = new Map<string, string>(
  [
    'Signed-off-by', 'Acked-by', 'Reviewed-by', 'Tested-by', 'Reported-by', 'Suggested-by', 'Co-developed-by',
    'Cc', 'Fixes', 'Link', 'Closes', 'Nacked-by', 'Reported-and-tested-by', 'Requested-by', 'Debugged-by',
    'Bisected-by', 'Originally-by', 'Helped-by', 'Message-ID', 'Change-Id', 'BugLink', 'Depends-on', 'Based-on',
  ].map((n) => [n.toLowerCase(), n]),
);

/** Utility trailers: their value is a reference, not a person. */
const UTILITY = new Set(['fixes', 'link', 'closes', 'message-id', 'change-id', 'buglink', 'depends-on', 'based-on', 'patchwork-id', 'x-patchwork-id']);

/** Header-like names that are never trailers in a body (Outlook quote headers, in-body From). */
const NOT_TRAILERS = new Set(['from', 'to', 'subject', 'date', 'sent', 'note', 'notes', 'http', 'https', 'mailto', 're', 'fwd', 'aw', 'sv', 'warning', 'error', 'changes', 'changelog', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'v9']);

const TRAILER_LINE = /^([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*):(?:[ \t]+(\S.*)|[ \t]*)$/;
const EMAIL = /[^\s<>"(),;:]+@[^\s<>"(),;:]+/;

/** The trailer name in its canonical case when it is a well-known one. */
export function canonicalTrailerName(name: string): string {
  return CANONICAL.get(name.toLowerCase()) ?? name;
}

/** `a@b<mailto:a@b>` (an HTML mailer's rendering) → `a@b`. */
function cleanHtmlJunk(value: string): string {
  return value.replace(/([^\s<>]+@[^\s<>]+)<mailto:\1>/gi, '$1').replace(/<mailto:([^>]+)>/gi, '$1');
}

/** Name and address of a person value: `"Doe, Jane" <jane@example.com>`, `A (corp) <a@b>`, `a@b`, `Dan Williams`. */
export function parsePerson(value: string): Address {
  const v = value.trim();
  if (v === '') return { name: null, address: null, obfuscated: true };
  const angle = /^(.*?)\s*<([^<>]*)>\s*$/.exec(v);
  let name: string | null;
  let address: string | null;
  if (angle) {
    name = angle[1].trim();
    address = angle[2].trim();
  } else {
    const bare = EMAIL.exec(v);
    if (bare && bare[0].length === v.length) {
      name = null;
      address = v;
    } else if (bare) {
      address = bare[0];
      name = v.replace(bare[0], '').replace(/[<>()]/g, ' ').replace(/\s+/g, ' ').trim();
    } else {
      // An archive that strips addresses leaves a double blank where `<addr>` was: `Name  :)`.
      const hole = /^(.*?\S)\s{2,}\S/.exec(v);
      name = hole ? hole[1] : v;
      address = null;
    }
  }
  if (name !== null) {
    if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1).replace(/\\(.)/g, '$1');
    if (name === '') name = null;
  }
  const obfuscated = address !== null && (/\.\.\.@|@x{3,}|@\.\.\./i.test(address) || !/@/.test(address));
  return { name, address: address ? address.toLowerCase() : null, obfuscated };
}

/** Parse a `Fixes:` value: `<sha> ("subject")`. */
export function parseFixes(value: string): FixesRef | null {
  const m = /^(?:commit\s+)?([0-9a-f]{6,40})\b\s*(.*)$/i.exec(value.trim());
  if (!m) return null;
  const subj = /^\(\s*"(.*)"\s*\)\s*$/.exec(m[2]) ?? /^\(\s*"(.*)"?\)?\s*$/.exec(m[2]);
  const subject = subj ? subj[1] : null;
  const valid = m[1].length >= 12 && /^[0-9a-f]+$/i.test(m[1]) && /^\(\s*".*"\s*\)\s*$/.test(m[2]);
  return { sha: m[1].toLowerCase(), subject, valid };
}

function isPersonName(lname: string): boolean {
  return lname.endsWith('-by') || lname === 'cc' || lname === 'co-developed-by';
}

function looksLikeUtilityValue(v: string): boolean {
  return /^(?:https?|ftp|git):\/\//i.test(v) || /^<[^\s<>]+@[^\s<>]+>$/.test(v);
}

interface Candidate {
  rawName: string;
  value: string;
  kind: TrailerKind;
}

/** Decide whether one line is a trailer; null when it is prose, a header, or a quote. */
function candidateAt(line: string): Candidate | null {
  const m = TRAILER_LINE.exec(line);
  if (!m) return null;
  const rawName = m[1];
  const lname = rawName.toLowerCase();
  if (NOT_TRAILERS.has(lname) || rawName.length < 2) return null;
  if (m[2] === undefined) {
    // `Cc: ` with nothing after it: an archive removed the address. Still a trailer of a known
    // person kind (it keeps a patch's trailer block in one piece), with nothing known about the person.
    return CANONICAL.has(lname) && isPersonName(lname) ? { rawName, value: '', kind: 'person' } : null;
  }
  const value = cleanHtmlJunk(m[2].trimEnd());
  if (lname === 'fixes') return parseFixes(value) ? { rawName, value, kind: 'utility' } : null;
  if (lname === 'link' || lname === 'closes' || lname === 'buglink') {
    return looksLikeUtilityValue(value.split(/\s+#/)[0].trim()) ? { rawName, value, kind: 'utility' } : null;
  }
  if (lname === 'message-id') return /^<?[^\s<>@]+@[^\s<>@]+>?$/.test(value) ? { rawName, value, kind: 'utility' } : null;
  if (lname === 'change-id') return /^I[0-9a-f]{6,40}$/.test(value) ? { rawName, value, kind: 'utility' } : null;
  if (UTILITY.has(lname)) return value.length <= 200 ? { rawName, value, kind: 'utility' } : null;
  if (isPersonName(lname)) {
    // `Reviewed-by: me too, but ...` is prose; a person value is a name and/or an address.
    if (value.length > 200) return null;
    return { rawName, value, kind: 'person' };
  }
  // Unknown names: a trailer only when the value is clearly a person or a reference.
  if (/^[^<>]*<[^<>\s]+@[^<>\s]+>\s*$/.test(value) || EMAIL.test(value.split(/\s/)[0] ?? '')) return { rawName, value, kind: 'person' };
  if (looksLikeUtilityValue(value)) return { rawName, value, kind: 'utility' };
  return null;
}

/** Parentheses and double quotes are balanced (a `#` inside `("subject #3")` is not a comment). */
function balanced(s: string): boolean {
  const open = (s.match(/\(/g) ?? []).length;
  const close = (s.match(/\)/g) ?? []).length;
  return open === close && (s.match(/"/g) ?? []).length % 2 === 0;
}

/** True when `line` would be read as a trailer (column 0, known shape). */
export function isTrailerLine(line: string): boolean {
  return candidateAt(line) !== null;
}

/**
 * Parse the trailers in `text` (a trailer block, a reply's own text, or a whole commit message).
 * Quoted (`>`) and indented lines are never trailers themselves; they may only be extinfo.
 */
export function parseTrailers(text: string): Trailer[] {
  if (typeof text !== 'string' || text === '') return [];
  return parseTrailerLines(splitLines(text), 0, Number.MAX_SAFE_INTEGER);
}

/** Parse trailers from lines[from..to] (inclusive); `line` numbers index `lines`. */
export function parseTrailerLines(lines: string[], from: number, to: number): Trailer[] {
  const out: Trailer[] = [];
  const last = Math.min(to, lines.length - 1);
  for (let i = Math.max(0, from); i <= last; i++) {
    const c = candidateAt(lines[i]);
    if (!c) continue;
    let value = c.value;
    let endLine = i;
    let extinfo: string | null = null;
    // A person trailer whose address went onto the next line: `Signed-off-by: Name` / `<a@b>`.
    const next = i + 1 <= last ? lines[i + 1] : undefined;
    if (c.kind === 'person' && !/@/.test(value) && next !== undefined && /^\s*<[^<>\s]+@[^<>\s]+>\s*$/.test(next)) {
      value = `${value} ${next.trim()}`;
      endLine = i + 1;
    }
    // A Fixes subject wrapped onto the next line: `Fixes: sha ("long` / `subject")`.
    if (c.rawName.toLowerCase() === 'fixes' && /\("[^"]*$/.test(value) && next !== undefined && /^\s*\S.*"\)\s*$/.test(next) && !candidateAt(next)) {
      value = `${value} ${next.trim()}`;
      endLine = i + 1;
    }
    // Trailing comment: `Link: https://… # initial submission` keeps `  # initial submission` as extinfo.
    const comment = /^(.*?\S)(\s+#.*)$/.exec(value);
    if (comment && balanced(comment[1])) {
      value = comment[1];
      extinfo = comment[2];
    }
    // Extinfo on its own line: `[for the parts that are bogus]`, possibly indented.
    const after = endLine + 1 <= last ? lines[endLine + 1] : undefined;
    if (extinfo === null && after !== undefined && /^\s*\[.*\]\s*$/.test(after)) {
      extinfo = after;
      endLine++;
    }
    value = value.trim();
    const name = canonicalTrailerName(c.rawName);
    const t: Trailer = { name, rawName: c.rawName, value, kind: c.kind, extinfo, line: i, endLine };
    if (c.kind === 'person') t.person = parsePerson(value);
    if (name === 'Fixes') t.fixes = parseFixes(value) ?? undefined;
    out.push(t);
    i = endLine;
  }
  return out;
}

/**
 * The trailer block of a commit message or patch mail: the last paragraph before the `---`
 * separator (or the diff, or the end), when every non-blank line of it is a trailer or belongs to
 * one (wrapped address, extinfo), or — git interpret-trailers' rule — it has a Signed-off-by and
 * at least a quarter of its lines are trailers: a maintainer's note in brackets among the sign-offs
 * (`[greentime.hu@sifive.com:\n  fixed pfn_valid, …]`, Documentation/process/submitting-patches.rst)
 * does not hide them. Returns an inclusive 0-based [start, end], or null.
 */
export function findTrailerBlock(lines: string[], end: number = lines.length): [number, number] | null {
  let stop = Math.min(end, lines.length);
  for (let i = 0; i < stop; i++) {
    if (/^---\s*$/.test(lines[i]) || /^diff --git /.test(lines[i]) || (/^--- \S/.test(lines[i]) && /^\+\+\+ \S/.test(lines[i + 1] ?? ''))) {
      stop = i;
      break;
    }
  }
  let last = stop - 1;
  while (last >= 0 && lines[last].trim() === '') last--;
  if (last < 0) return null;
  let first = last + 1;
  for (let i = last; i >= 0; i--) {
    if (lines[i].trim() === '') break;
    first = i;
  }
  const trailers = parseTrailerLines(lines, first, last);
  if (trailers.length === 0) return null;
  const covered = new Set<number>();
  for (const t of trailers) for (let k = t.line; k <= t.endLine; k++) covered.add(k);
  const lineCount = last - first + 1;
  if (covered.size === lineCount) return [first, last];
  // git (trailer.c): a block that is not all trailers still is one when it holds a git-generated
  // trailer (Signed-off-by) and at least 25% of its lines are trailers.
  const signedOff = trailers.some((t) => t.name === 'Signed-off-by');
  return signedOff && covered.size * 4 >= lineCount ? [first, last] : null;
}

/**
 * How a person trailer's address and name compare with its sender's:
 * - match: the same address (or the same as far as an archive's obfuscation leaves it);
 * - similar-address: the same but for a `+tag` in the local part or a subdomain
 *   (`robh+dt@kernel.org`, `foo@linux.intel.com` / `foo@intel.com`);
 * - same-name: other addresses, the same person's name (`Palmer Dabbelt <palmerdabbelt@google.com>`
 *   sent from `palmer@dabbelt.com`);
 * - mismatch: another address and another name; unknown: nothing to decide on.
 * b4 (`LoreTrailer.email_eq` and `LoreMessage.get_trailers`) accepts the first three
 * and drops a mismatch. Where b4 accepts any trailer from a sender whose name has a comma (its
 * check compares the name's parts with the name itself), loregraph asks for the parts in the trailer.
 */
export type AddressMatch = 'match' | 'similar-address' | 'same-name' | 'mismatch' | 'unknown';

function normName(n: string | null): string | null {
  if (!n) return null;
  const s = n.replace(/["']/g, '').replace(/\s*[([][^)\]]*[)\]]\s*/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase();
  if (s === '') return null;
  // `Saidi, Ali` and `Ali Saidi` are the same person.
  const comma = /^([^,]+),\s*(.+)$/.exec(s);
  return comma ? `${comma[2]} ${comma[1]}` : s;
}

/** The same mailbox but for a `+tag` or a subdomain on one side (b4's fuzzy address match). */
function similarAddress(a: string, b: string): boolean {
  const untag = (x: string): string => x.replace(/\+[^@]*@/, '@');
  const [al, ad] = untag(a).split('@');
  const [bl, bd] = untag(b).split('@');
  if (al !== bl || !ad || !bd) return false;
  return ad === bd || ad.endsWith(`.${bd}`) || bd.endsWith(`.${ad}`);
}

/**
 * Compare a person trailer with the sender of the mail that carries it (see AddressMatch). When
 * both addresses are readable they decide, unless the names agree; an archive-obfuscated address
 * is compared on what is left of it. When the trailer or the sender has no address (archives strip
 * them), names decide; otherwise 'unknown'.
 */
export function compareTrailerAddress(trailer: Trailer, from: string | { name: string | null; address: string | null }): AddressMatch {
  const person = trailer.person;
  if (!person) return 'unknown';
  const fromAddr = typeof from === 'string' ? parsePerson(from).address : from.address?.toLowerCase() ?? null;
  const fromName = typeof from === 'string' ? parsePerson(from).name : from.name;
  const tn = normName(person.name);
  const fn = normName(fromName);
  const a = person.address;
  if (a && fromAddr && a.includes('@') && fromAddr.includes('@')) {
    if (a === fromAddr) return 'match';
    const [al, ad] = a.split('@');
    const [fl, fd] = fromAddr.split('@');
    // Obfuscated forms: `jhubbard@xxxxxxxxxx`, `linux-arm-ker...@lists.infradead.org`.
    const hidden = (s: string): boolean => /^x+$/.test(s) || s.endsWith('...') || s === '';
    if (hidden(ad) || hidden(fd) || hidden(al) || hidden(fl)) {
      const localOk = al === fl || (al.endsWith('...') && fl.startsWith(al.slice(0, -3))) || (fl.endsWith('...') && al.startsWith(fl.slice(0, -3)));
      const domainOk = ad === fd || hidden(ad) || hidden(fd);
      if (localOk && domainOk) return 'match';
    } else if (similarAddress(a, fromAddr)) {
      return 'similar-address';
    }
    return tn && fn && tn === fn ? 'same-name' : 'mismatch';
  }
  if (tn && fn) return tn === fn ? 'match' : 'unknown';
  return 'unknown';
}

/** True when the trailer's person is taken to be the sender, as b4 takes it (see AddressMatch). */
export function addressMatches(trailer: Trailer, from: string | { name: string | null; address: string | null }): boolean {
  const m = compareTrailerAddress(trailer, from);
  return m === 'match' || m === 'similar-address' || m === 'same-name';
}
