// Raw RFC 822 mail whose line breaks were all replaced by spaces (and whose `<…>` addresses and
// ids were stripped by whatever copied it). The header fields are found again by their known
// names at field boundaries; the body starts where the last field's value ends; the body's
// quote structure is rebuilt from its `>` runs. The result is ordinary RFC 822 text.
import { parseDate } from '../parse/date.js';
import { renderBodyLines, restoreFlatBody, wrap } from './dump/flatBody.js';

/** Header names recognised at field boundaries (matched case-insensitively, capitalised in the text). */
const HEADER_NAMES = [
  'Received', 'Return-Path', 'Delivered-To', 'Envelope-To', 'Received-SPF', 'Authentication-Results',
  'ARC-Seal', 'ARC-Message-Signature', 'ARC-Authentication-Results', 'DKIM-Signature', 'DomainKey-Signature',
  'MIME-Version', 'References', 'In-Reply-To', 'From', 'Sender', 'Reply-To', 'Date', 'Message-ID',
  'Subject', 'To', 'Cc', 'Bcc', 'Content-Type', 'Content-Transfer-Encoding', 'Content-Disposition',
  'Content-Language', 'Precedence', 'List-ID', 'List-Unsubscribe', 'List-Subscribe', 'List-Post',
  'List-Help', 'List-Archive', 'List-Owner', 'Mailing-List', 'User-Agent', 'Organization',
  'Thread-Topic', 'Thread-Index', 'Importance', 'Errors-To', 'Resent-From', 'Resent-Date',
] as const;

/** Fields whose value is a single token: extra words after it mean the body has begun. */
const TOKEN_FIELDS = new Set([
  'mime-version', 'precedence', 'x-mailing-list', 'content-transfer-encoding', 'message-id',
  'in-reply-to', 'return-path', 'delivered-to', 'envelope-to', 'x-original-to', 'errors-to', 'importance',
]);

const FIELD_RE = new RegExp(`(^|\\s)(${HEADER_NAMES.join('|')}|X-[A-Za-z0-9][A-Za-z0-9-]*):(?=\\s|$)`, 'gi');

interface Field {
  name: string;
  value: string;
  /** Offset where the field name starts. */
  start: number;
  /** Offset where the value ends. */
  end: number;
}

/** Drop an mbox `From addr date` separator that was flattened onto the same line. */
function stripFromLine(s: string): string {
  return s.replace(/^\s*From \S+ .{10,40}?\d{4}\s+(?=[A-Z][A-Za-z-]*:)/, '').trimStart();
}

/** True when the text opens like a flattened mail: known header names on one long first line. */
export function looksLikeFlatRfc822(head: string): boolean {
  const firstLine = stripFromLine((head.split('\n', 1)[0] ?? '').replace(/^\uFEFF/, ''));
  if (firstLine.length < 200) return false;
  const names = new Set<string>();
  FIELD_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  const sample = firstLine.slice(0, 20_000);
  while ((m = FIELD_RE.exec(sample))) {
    if (/^[A-Z]/.test(m[2])) names.add(m[2].toLowerCase());
  }
  FIELD_RE.lastIndex = 0;
  const core = ['received', 'from', 'date', 'subject', 'message-id', 'to', 'mime-version', 'content-type'];
  return /^\s*[A-Z][A-Za-z0-9-]*:\s/.test(firstLine) && core.filter((c) => names.has(c)).length >= 3;
}

/** Where the value of a field surely ends, for the last field or one followed by body text. */
function valueExtent(name: string, value: string): number {
  const n = name.toLowerCase();
  const lead = value.length - value.trimStart().length;
  const v = value.trimStart();
  if (TOKEN_FIELDS.has(n)) {
    const m = /^\S+/.exec(v);
    return lead + (m ? m[0].length : 0);
  }
  if (n === 'content-type') {
    const m = /^[\w.+-]+\/[\w.+-]+(?:\s*;\s*[\w-]+=(?:"[^"]*"|[^\s;]+))*;?/.exec(v);
    return lead + (m ? m[0].length : 0);
  }
  if (n === 'date') {
    const m = /^(?:\w{3},\s*)?\d{1,2}\s+\w{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[+-]\d{4})?(?:\s*\([A-Z]{2,5}\))?/.exec(v);
    if (m && parseDate(m[0]).iso) return lead + m[0].length;
  }
  if (n === 'list-id') {
    // With its `<…>` stripped, a List-ID keeps at most a short description.
    const m = /^(?:[^\s]+\.[^\s]+|)/.exec(v);
    return lead + (m ? m[0].length : 0);
  }
  return -1;
}

/** Find the header fields; returns them and the offset where the body starts. */
function findFields(text: string): { fields: Field[]; bodyStart: number } {
  const hits: { name: string; start: number; valueStart: number }[] = [];
  FIELD_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = FIELD_RE.exec(text))) {
    if (!/^[A-Z]/.test(m[2])) continue;
    const start = m.index + m[1].length;
    hits.push({ name: m[2], start, valueStart: start + m[2].length + 1 });
  }
  FIELD_RE.lastIndex = 0;
  const fields: Field[] = [];
  if (hits.length === 0 || hits[0].start > 0 && text.slice(0, hits[0].start).trim() !== '') {
    return { fields, bodyStart: 0 };
  }
  for (let i = 0; i < hits.length; i++) {
    const h = hits[i];
    const nextStart = i + 1 < hits.length ? hits[i + 1].start : text.length;
    const raw = text.slice(h.valueStart, nextStart);
    const n = h.name.toLowerCase();
    // A token field followed by more words, or the last field: its value ends early and the body begins.
    const extent = valueExtent(h.name, raw);
    const rest = extent >= 0 ? raw.slice(extent).trim() : '';
    const isLast = i + 1 === hits.length;
    if (extent >= 0 && rest.length > 0 && (TOKEN_FIELDS.has(n) || isLast || n === 'content-type' || n === 'list-id')) {
      fields.push({ name: h.name, value: raw.slice(0, extent).trim(), start: h.start, end: h.valueStart + extent });
      return { fields, bodyStart: h.valueStart + extent };
    }
    if (isLast) {
      // Free-text last field: the body starts at the first thing that can only be body.
      const body = /\sOn\s.{5,120}?\swrote:|\s>\s|\s(?:Hi|Hello|Dear)\b/.exec(raw);
      const cut = body ? body.index : raw.length;
      fields.push({ name: h.name, value: raw.slice(0, cut).trim(), start: h.start, end: h.valueStart + cut });
      return { fields, bodyStart: h.valueStart + cut };
    }
    fields.push({ name: h.name, value: raw.trim(), start: h.start, end: nextStart });
  }
  return { fields, bodyStart: text.length };
}

/** Fold a long header value over continuation lines so the output stays within RFC line limits. */
function foldHeader(name: string, value: string): string {
  const lines = wrap(`${name}: ${value}`, 900);
  return lines.join('\n ');
}

/**
 * Re-emit proper RFC 822 bytes for a flattened mail, or null when the text does not hold one.
 * Fields whose value was stripped entirely (`Message-ID:` with its `<…>` removed) are left out.
 */
export function recoverFlatRfc822(text: string): Buffer | null {
  try {
    const flat = String(text).replace(/\r?\n/g, ' ').replace(/^\uFEFF/, '');
    const trimmed = stripFromLine(flat);
    const { fields, bodyStart } = findFields(trimmed);
    const names = new Set(fields.map((f) => f.name.toLowerCase()));
    if (fields.length < 2 || !(names.has('from') || names.has('subject') || names.has('date'))) return null;
    const header = fields
      .filter((f) => f.value.length > 0)
      .map((f) => foldHeader(f.name, f.value))
      .join('\n');
    const body = renderBodyLines(restoreFlatBody(trimmed.slice(bodyStart).trim()));
    return Buffer.from(`${header}\n\n${body}\n`, 'utf8');
  } catch {
    // Defensive: malformed input yields "not recoverable", never an exception.
    return null;
  }
}
