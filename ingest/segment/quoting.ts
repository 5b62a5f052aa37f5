// Quote markers and attribution lines ("On …, X wrote:", "Am … schrieb …", Outlook header blocks).
// Pure line-level helpers used by segmentBody; they never throw.

export interface QuoteInfo {
  /** Number of quote markers (`>` or a column-0 `|`); 0 for an unquoted line. */
  depth: number;
  /** The line without its markers and without the one space that usually follows the last marker. */
  content: string;
}

/** Count the quote markers of a line: `> > x`, `>> x`, ` > x` and `| x` all work. */
export function quoteInfo(line: string): QuoteInfo {
  const m = /^ ?((?:[>|][ \t]?)*[>|])/.exec(line);
  if (!m || (m[1].startsWith('|') && !line.startsWith('|'))) return { depth: 0, content: line };
  const markers = m[1].replace(/[ \t]/g, '');
  // `|` only counts as a marker at column 0 or when mixed with `>`.
  if (!markers.includes('>') && !line.startsWith('|')) return { depth: 0, content: line };
  let content = line.slice(m[0].length);
  if (content.startsWith(' ')) content = content.slice(1);
  return { depth: markers.length, content };
}

export type AttributionStyle = 'on-wrote' | 'wrote' | 'writes' | 'schrieb' | 'quoting' | 'outlook' | 'french';

export interface Attribution {
  style: AttributionStyle;
  /** Name of the quoted author as written (without the address), or null. */
  name: string | null;
  /** Address of the quoted author when given, lower-cased, or null. */
  email: string | null;
  /** The date text as written, or null. */
  date: string | null;
  /** The attribution text, re-joined when wrapped (quote markers removed). */
  raw: string;
}

const TIME = /\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s*(?:[+-]\d{4}|[+-]|UTC|GMT|[A-Z]{3,4}))?(?:\s*\([^)]*\))?/g;

function splitNameEmail(text: string): { name: string | null; email: string | null } {
  let t = text.trim().replace(/^[,\s]+|[,\s]+$/g, '');
  let email: string | null = null;
  const angle = /<([^<>\s]+@[^<>\s]+)>/.exec(t) ?? /\(([^()\s]+@[^()\s]+)\)/.exec(t) ?? /\[(?:mailto:)?([^[\]\s]+@[^[\]\s]+)\]/.exec(t);
  if (angle) {
    email = angle[1].toLowerCase();
    t = t.replace(angle[0], ' ');
  } else {
    const bare = /\S+@\S+/.exec(t);
    if (bare) {
      email = bare[0].replace(/[<>(),]/g, '').toLowerCase();
      t = t.replace(bare[0], ' ');
    }
  }
  let name = t.replace(/\s+/g, ' ').replace(/^"(.*)"$/, '$1').trim();
  name = name.replace(/^[,\s]+|[,\s]+$/g, '');
  return { name: name === '' ? null : name, email };
}

/** Split "DATE, NAME" / "DATE NAME" (the part between `On` and `wrote:`). */
function splitDateName(middle: string): { date: string | null; who: string } {
  let lastEnd = -1;
  for (const m of middle.matchAll(TIME)) lastEnd = (m.index ?? 0) + m[0].length;
  if (lastEnd > 0) {
    return { date: middle.slice(0, lastEnd).trim().replace(/,$/, ''), who: middle.slice(lastEnd).replace(/^[\s,]+/, '') };
  }
  const comma = middle.lastIndexOf(', ');
  if (comma > 0) return { date: middle.slice(0, comma).trim(), who: middle.slice(comma + 2) };
  return { date: null, who: middle };
}

/** Parse one (possibly re-joined) attribution line; null when it is not one. */
export function parseAttribution(text: string): Attribution | null {
  // Every form below ends in `:` (or `)` for `Quoting X (date)`): most lines of a body end in
  // neither, and this runs on each of them, so they are turned away before any regex.
  const end = text.trimEnd();
  const last = end.charCodeAt(end.length - 1);
  if (last !== 58 && last !== 41) return null;
  const raw = end.trimStart().replace(/\s+/g, ' ');
  if (raw.length > 300 || raw.length < 6) return null;
  let m: RegExpExecArray | null;
  if ((m = /^On (.+?)\s*(?:wrote|writes|said):$/i.exec(raw))) {
    const { date, who } = splitDateName(m[1]);
    const ne = splitNameEmail(who);
    if (!ne.name && !ne.email) return null;
    return { style: 'on-wrote', ...ne, date, raw };
  }
  if ((m = /^Am (.+?) (?:um (.+?) )?schrieb (.+?):$/i.exec(raw))) {
    const date = m[2] ? `${m[1]} ${m[2]}` : m[1];
    return { style: 'schrieb', ...splitNameEmail(m[3]), date, raw };
  }
  if ((m = /^Le (.+?), (.+?) a écrit ?:$/i.exec(raw))) {
    return { style: 'french', ...splitNameEmail(m[2]), date: m[1], raw };
  }
  if ((m = /^Quoting (.+?) \(([^)]*\d[^)]*)\):?$/i.exec(raw))) {
    return { style: 'quoting', ...splitNameEmail(m[1]), date: m[2], raw };
  }
  if ((m = /^(.{2,120}?)\s+writes:$/i.exec(raw))) {
    const ne = splitNameEmail(m[1]);
    if (ne.name && ne.name.split(' ').length > 6) return null;
    return { style: 'writes', ...ne, date: null, raw };
  }
  if ((m = /^(.{2,120}?)\s+wrote:$/i.exec(raw))) {
    const { date, who } = /\d/.test(m[1]) ? splitDateName(m[1]) : { date: null, who: m[1] };
    const ne = splitNameEmail(who);
    // "I wrote:", "you wrote:" and prose ending in "wrote:" are still attributions; very long text is not.
    if (ne.name && ne.name.split(' ').length > 8) return null;
    return { style: 'wrote', ...ne, date, raw };
  }
  return null;
}

/** `On Mon, 28 Jun 2021 17:19:25 +0100,` that continues with `X <x@y> wrote:` on the next line. */
export function isAttributionStart(text: string): boolean {
  const t = text.trim();
  return /^(?:On|Am|Le|Quoting)\s\S/.test(t) && !/(?:wrote|writes|schrieb|écrit|said)\s*:\s*$/i.test(t) && t.length < 200;
}

/** `-----Original Message-----` (archives sometimes squeeze the dashes to one). */
export const OUTLOOK_SEPARATOR = /^\s*-+\s*(?:Original Message|Ursprüngliche Nachricht|Message d'origine)\s*-+\s*$/i;
const OUTLOOK_FIELD = /^\s*\*?(From|Sent|Date|To|Cc|Subject|Von|Gesendet|An|Betreff|De|Envoyé|À|Objet)\s*:\*?\s*(.*)$/i;

/**
 * An Outlook-style quoted header block at `start`: an optional `-----Original Message-----` line
 * followed by `From:`/`Sent:`/`To:`/`Cc:`/`Subject:` lines. Returns the parsed attribution and the
 * inclusive last line, or null.
 */
export function outlookBlockAt(contents: string[], start: number): { attribution: Attribution; end: number } | null {
  let i = start;
  const hasSeparator = OUTLOOK_SEPARATOR.test(contents[i] ?? '');
  if (hasSeparator) i++;
  const fields = new Map<string, string>();
  let lastKey: string | null = null;
  let end = hasSeparator ? start : -1;
  const fieldAt = (k: number): RegExpExecArray | null => (k < contents.length ? OUTLOOK_FIELD.exec(contents[k]) : null);
  for (; i < contents.length && i < start + 16; i++) {
    const m = fieldAt(i);
    if (!m) {
      // A field wrapped onto the next line(s): `From: list On` / `Behalf Of Name`, long To:/Cc: lists,
      // and a Subject whose tail ends the block.
      const t = contents[i].trim();
      const moreFields = fieldAt(i + 1) !== null || (fieldAt(i + 2) !== null && (contents[i + 1] ?? '').trim() !== '');
      const subjectTail = lastKey === 'subject' && t !== '' && (contents[i + 1] ?? '').trim() === '';
      if (lastKey !== null && t !== '' && t.length < 120 && (moreFields || subjectTail)) {
        fields.set(lastKey, `${fields.get(lastKey) ?? ''} ${t}`);
        end = i;
        if (subjectTail) break;
        continue;
      }
      break;
    }
    const key = m[1].toLowerCase();
    const canonical = ['sent', 'gesendet', 'envoyé', 'date'].includes(key) ? 'date' : ['von', 'de'].includes(key) ? 'from' : key;
    fields.set(canonical, m[2]);
    lastKey = canonical;
    end = i;
  }
  if (!fields.has('from')) return null;
  // Without the separator line, require Sent/Date and To/Subject with it, to tell the block from
  // an in-body `From:` author line or an archive page's own From/Date header.
  if (!hasSeparator && !(fields.has('date') && (fields.has('to') || fields.has('subject')))) return null;
  const fromValue = fields.get('from') ?? '';
  // `list@x [mailto:list@x] On Behalf Of Name`: the person is the one after "On Behalf Of".
  const behalf = /\bOn Behalf Of\s+(.+)$/i.exec(fromValue);
  const ne = splitNameEmail(behalf ? behalf[1] : fromValue);
  return {
    attribution: { style: 'outlook', ...ne, date: fields.get('date')?.trim() || null, raw: contents.slice(start, end + 1).join('\n') },
    end,
  };
}
