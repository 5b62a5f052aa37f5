// The header block of an RFC 822 message: finding where it ends, unfolding, RFC 2047 decoding
// and Content-Type parameters. Written for damaged input: raw 8-bit bytes, TABs after the colon,
// missing blank line, encoded words split across folds or in the wrong charset.
import { decodeText, decodeUnknown } from './charset.js';

export interface HeaderBlock {
  /** Lower-case name → raw values (unfolded, trimmed, still RFC 2047 encoded), in order. */
  fields: Map<string, string[]>;
  /** Byte offset where the body starts (after the blank line); `bytes.length` when there is no body. */
  bodyStart: number;
  /** True when every line was a `Name: value` field or a continuation and a blank line ended the block. */
  clean: boolean;
}

const NL = 0x0a;

/** Index of the first byte after the blank line that ends the header block, or -1 when there is none. */
export function findBodyStart(bytes: Buffer): number {
  if (bytes.length > 0 && bytes[0] === NL) return 1;
  if (bytes.length > 1 && bytes[0] === 0x0d && bytes[1] === NL) return 2;
  let from = 0;
  for (;;) {
    const i = bytes.indexOf(NL, from);
    if (i < 0 || i + 1 >= bytes.length) return -1;
    const next = bytes[i + 1];
    if (next === NL) return i + 2;
    if (next === 0x0d && i + 2 < bytes.length && bytes[i + 2] === NL) return i + 3;
    from = i + 1;
  }
}

/** Characters of a field name (printable ASCII except the colon). */
const NAME_RE = /^[\x21-\x39\x3b-\x7e]+$/;

/**
 * Parse the header block at the start of `bytes`. Never throws. With `keep`, only fields it
 * accepts have their values collected (lore mails carry kilobytes of Received/DKIM/X-Spam
 * lines nobody reads); every line is still checked, so `clean` means the same either way.
 */
export function parseHeaderBlock(bytes: Buffer, keep?: (name: string) => boolean): HeaderBlock {
  const start = findBodyStart(bytes);
  const headerEnd = start < 0 ? bytes.length : start;
  // latin1 keeps one char per byte, so 8-bit values can be re-decoded per field below.
  const text = bytes.toString('latin1', 0, headerEnd);
  const fields = new Map<string, string[]>();
  let clean = start >= 0;
  let name: string | null = null;
  let skipping = false;
  let value = '';
  const flush = (): void => {
    if (name === null) return;
    const list = fields.get(name);
    const v = value.trim();
    if (list) list.push(v);
    else fields.set(name, [v]);
    name = null;
  };
  let pos = 0;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    let end = nl;
    if (end > pos && text.charCodeAt(end - 1) === 0x0d) end--;
    const lineStart = pos;
    pos = nl + 1;
    if (end === lineStart) continue;
    const c = text.charCodeAt(lineStart);
    if (c === 0x20 || c === 0x09) {
      if (name !== null) value += text.slice(lineStart, end);
      else if (!skipping) clean = false;
      continue;
    }
    const colon = text.indexOf(':', lineStart);
    let nameEnd = colon < 0 || colon >= end ? -1 : colon;
    while (nameEnd > lineStart && (text.charCodeAt(nameEnd - 1) === 0x20 || text.charCodeAt(nameEnd - 1) === 0x09)) nameEnd--;
    const fieldName = nameEnd > lineStart ? text.slice(lineStart, nameEnd) : '';
    if (!fieldName || !NAME_RE.test(fieldName)) {
      // A line that is neither a field nor a continuation (mbox `From ` line left in, junk).
      clean = false;
      continue;
    }
    flush();
    const lower = fieldName.toLowerCase();
    if (keep && !keep(lower)) {
      skipping = true;
      continue;
    }
    skipping = false;
    name = lower;
    value = text.slice(colon + 1, end);
  }
  flush();
  return { fields, bodyStart: start < 0 ? bytes.length : start, clean };
}

/** First value of a field, or null. */
export function first(fields: Map<string, string[]>, name: string): string | null {
  const v = fields.get(name);
  return v && v.length > 0 ? v[0] : null;
}

/** A latin1 string holding raw bytes → text (UTF-8 when valid, else Windows-1252). */
export function rawToText(latin1: string): string {
  // Pure ASCII needs no work.
  for (let i = 0; i < latin1.length; i++) {
    if (latin1.charCodeAt(i) > 0x7f) return decodeUnknown(Buffer.from(latin1, 'latin1'));
  }
  return latin1;
}

const ENCODED_WORD = /=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=/g;

function decodeQWord(s: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 0x5f) bytes.push(0x20);
    else if (ch === 0x3d && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(ch & 0xff);
  }
  return Buffer.from(bytes);
}

function decodeBWord(s: string): Buffer {
  return Buffer.from(s.replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
}

/** Characters that make a decoded display name need quoting inside an address header. */
const SPECIALS = /[,;:<>@"()[\]\\]/;

/**
 * Decode RFC 2047 encoded words in a header value (given as raw latin1 bytes). Adjacent encoded
 * words separated only by white space are joined, and their bytes merged per charset before
 * decoding, so a multi-byte character split across two words survives. With `address`, a
 * decoded phrase that contains specials (`Saidi, Ali`) is quoted so address parsing keeps it whole.
 */
export function decodeHeader(rawLatin1: string, opts: { address?: boolean } = {}): string {
  const value = rawToText(rawLatin1);
  if (!value.includes('=?')) return value;
  let out = '';
  let last = 0;
  let run: { charset: string; bytes: Buffer[] }[] = [];
  let runStart = -1;
  const closeRun = (): void => {
    if (run.length === 0) return;
    let text = run.map((r) => decodeText(Buffer.concat(r.bytes), r.charset)).join('');
    if (opts.address && SPECIALS.test(text)) {
      const before = value.slice(0, runStart);
      const quotes = (before.match(/(?<!\\)"/g) ?? []).length;
      if (quotes % 2 === 0) text = `"${text.replace(/["\\]/g, '\\$&')}"`;
      else text = text.replace(/["\\]/g, '\\$&');
    }
    out += text;
    run = [];
  };
  ENCODED_WORD.lastIndex = 0;
  for (let m = ENCODED_WORD.exec(value); m; m = ENCODED_WORD.exec(value)) {
    const between = value.slice(last, m.index);
    const adjacent = run.length > 0 && /^[ \t\r\n]*$/.test(between);
    if (!adjacent) {
      closeRun();
      out += between;
      runStart = m.index;
    }
    const charset = m[1].replace(/\*.*$/, '');
    let bytes: Buffer;
    try {
      bytes = m[2] === 'Q' || m[2] === 'q' ? decodeQWord(m[3]) : decodeBWord(m[3]);
    } catch {
      bytes = Buffer.from(m[0], 'latin1');
    }
    const prev = run[run.length - 1];
    if (prev && prev.charset.toLowerCase() === charset.toLowerCase()) prev.bytes.push(bytes);
    else run.push({ charset, bytes: [bytes] });
    last = m.index + m[0].length;
  }
  closeRun();
  out += value.slice(last);
  return out;
}

export interface ContentType {
  /** Lower-case `type/subtype`; `text/plain` when absent or unreadable. */
  type: string;
  /** Lower-case parameter names → unquoted values. */
  params: Record<string, string>;
  /** True when the header was present. */
  present: boolean;
}

/** Split `value; a=b; c="d e"` into its value and parameters (RFC 2231 `name*=` kept simple). */
export function parseParams(raw: string): { value: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const semi = raw.indexOf(';');
  const value = (semi < 0 ? raw : raw.slice(0, semi)).trim().toLowerCase();
  if (semi < 0) return { value, params };
  const re = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"?|([^;]*))/g;
  re.lastIndex = semi;
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    let key = m[1].toLowerCase();
    let v = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '').trim();
    if (key.endsWith('*')) {
      key = key.slice(0, -1);
      const ext = /^([^']*)'[^']*'(.*)$/.exec(v);
      if (ext) {
        try {
          v = decodeText(Buffer.from(decodeURIComponentBytes(ext[2])), ext[1] || 'utf-8');
        } catch {
          v = ext[2];
        }
      }
    }
    if (!(key in params)) params[key] = v;
  }
  return { value, params };
}

function decodeURIComponentBytes(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(s.charCodeAt(i) & 0xff);
  }
  return out;
}

export function parseContentType(raw: string | null): ContentType {
  if (raw === null) return { type: 'text/plain', params: {}, present: false };
  const { value, params } = parseParams(raw);
  const type = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(value) ? value : 'text/plain';
  return { type, params, present: true };
}
