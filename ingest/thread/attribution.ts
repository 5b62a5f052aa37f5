// Attribution lines: the line a reply puts above the text it quotes, naming the author (and
// usually the date) of the message it answers. `On <date>, <name> wrote:`, `<name> wrote:`,
// German `Am <date> schrieb <name>:`, Outlook `From:/Sent:/To:/Subject:` blocks.
import { parseAddress } from '../parse/address.js';
import { parseDate, type ParsedDate } from '../parse/date.js';
import { quoteDepth } from './quotes.js';

export type AttributionKind = 'on-wrote' | 'wrote' | 'schrieb' | 'outlook';

export interface Attribution {
  kind: AttributionKind;
  /** The attribution as written (joined when a client wrapped it over two lines). */
  line: string;
  /** 0-based index of the (first) line in the body. */
  lineIndex: number;
  /** Quote depth of the line: 0 for the replier's own attribution of its parent. */
  depth: number;
  /** The line starts with white space: in dumps that lost `>` runs this marks quoted text. */
  indented: boolean;
  /** Author name as written, without the address; null when the archive stripped it. */
  name: string | null;
  /** Author address when one survived (possibly obfuscated). */
  address: string | null;
  date: ParsedDate | null;
  /** The date text of the attribution, when there is one. */
  dateText: string | null;
}

const TIME_RE = /\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*(?:[+-]\d{4}|[+-](?=[\s,])|\(?[A-Z]{2,5}\)?(?![a-z])))?/;

/** Strip the quote prefix (`> > `, `>>`) of a line. */
function unquote(line: string): string {
  return line.replace(/^\s*(?:>\s?)+/, '').trim();
}

/** Split `<date>, <name>` or `<date> at <time> <name>` (the text between `On` and `wrote:`). */
export function splitDateAndName(inner: string): { dateText: string | null; nameText: string } {
  const s = inner.trim();
  const t = TIME_RE.exec(s);
  if (t) {
    const end = t.index + t[0].length;
    const dateText = s.slice(0, end).trim();
    const nameText = s.slice(end).replace(/^[\s,]+/, '').trim();
    if (parseDate(dateText).iso !== null) return { dateText, nameText };
  }
  // No (readable) time: `On 2019-06-12, Name wrote:`, `On 12:20 14/02, Name wrote:` — the name
  // follows the first comma after which no digit occurs (so `Saidi, Ali` stays whole).
  for (let i = s.indexOf(','); i > 0; i = s.indexOf(',', i + 1)) {
    const rest = s.slice(i + 1);
    if (/\d/.test(rest)) continue;
    const dateText = s.slice(0, i).trim();
    return { dateText: parseDate(dateText).iso !== null ? dateText : null, nameText: rest.trim() };
  }
  return { dateText: null, nameText: s };
}

function nameAndAddress(text: string): { name: string | null; address: string | null } {
  const cleaned = text.replace(/\s+/g, ' ').replace(/[,:]+$/, '').trim();
  if (!cleaned) return { name: null, address: null };
  const a = parseAddress(cleaned);
  let name = a.name;
  if (name) name = name.replace(/^['"]+|['"]+$/g, '').trim() || null;
  return { name, address: a.address };
}

function build(
  kind: AttributionKind,
  line: string,
  lineIndex: number,
  depth: number,
  dateText: string | null,
  nameText: string,
): Attribution {
  const { name, address } = nameAndAddress(nameText);
  const date = dateText ? parseDate(dateText) : null;
  return { kind, line, lineIndex, depth, indented: false, name, address, date: date && date.iso ? date : null, dateText };
}

/** Recognise an attribution in one (unquoted, possibly joined) line. */
export function parseAttributionLine(text: string, lineIndex = 0, depth = 0): Attribution | null {
  const s = text.replace(/\s+/g, ' ').trim();
  if (s.length > 300) return null;
  let m = /^On (.+?)\s*wrote\s*:?$/i.exec(s);
  if (m) {
    const { dateText, nameText } = splitDateAndName(m[1]);
    return build('on-wrote', s, lineIndex, depth, dateText, nameText);
  }
  m = /^Am (.+?),? schrieb (.+?):?$/i.exec(s);
  if (m) return build('schrieb', s, lineIndex, depth, m[1], m[2]);
  m = /^(?:Quoting\s+)?(.{2,120}?)\s+(?:wrote|writes|said)\s*:$/i.exec(s);
  if (m && !/^(on|in|as|he|she|you|i|we|they)\b/i.test(m[1])) {
    // `Name <a@b> wrote:` / `Name (date) wrote:`
    const paren = /^(.*?)\s*\(([^)]*\d[^)]*)\)\s*$/.exec(m[1]);
    if (paren && parseDate(paren[2]).iso) return build('wrote', s, lineIndex, depth, paren[2], paren[1]);
    if (m[1].split(/\s+/).length > 8) return null;
    return build('wrote', s, lineIndex, depth, null, m[1]);
  }
  return null;
}

/**
 * Every attribution in a body, in order, with its quote depth. Two-line attributions (a client
 * wrapped `On …, Name` / `wrote:`) are joined; Outlook header blocks are read as one attribution.
 */
export function findAttributions(body: string): Attribution[] {
  const lines = body.split(/\r?\n/);
  const out: Attribution[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const depth = quoteDepth(raw);
    const text = unquote(raw);
    if (!text) continue;
    // Outlook: `From: X` followed within a few lines by `Sent:` (and usually To:/Subject:).
    const outlook = /^From:\s*(.+)$/i.exec(text);
    if (outlook) {
      let sent: string | null = null;
      let seenSubject = false;
      for (let j = i + 1; j < Math.min(lines.length, i + 6); j++) {
        const t = unquote(lines[j]);
        const sm = /^(?:Sent|Date):\s*(.+)$/i.exec(t);
        if (sm) sent = sm[1];
        if (/^Subject:/i.test(t)) seenSubject = true;
      }
      if (sent && seenSubject) {
        const o = build('outlook', `${text} / Sent: ${sent}`, i, depth, sent, outlook[1]);
        o.indented = depth === 0 && /^\s/.test(raw);
        out.push(o);
        continue;
      }
    }
    let a = parseAttributionLine(text, i, depth);
    if (!a && /^(On|Am)\s/i.test(text) && i + 1 < lines.length && !/wrote|schrieb/i.test(text)) {
      const next = unquote(lines[i + 1]);
      if (/^(?:.{0,80}\s)?(wrote|schrieb .+?)\s*:?\s*$/i.test(next) && next.length < 100) {
        a = parseAttributionLine(`${text} ${next}`, i, depth);
        if (a) i += 1;
      }
    }
    if (a) {
      a.indented = depth === 0 && /^\s/.test(raw);
      out.push(a);
    }
  }
  return out;
}

/** The attribution naming the parent: the first one at quote depth 0 that is not indented. */
export function parentAttribution(body: string): Attribution | null {
  return findAttributions(body).find((a) => a.depth === 0 && !a.indented) ?? null;
}
