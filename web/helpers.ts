// Handlebars helpers. Every helper returns plain strings, which handlebars escapes, except
// `highlight`: it escapes the snippet itself and only then adds <mark> tags, and is the one place
// in the UI that hands handlebars a SafeString.
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../graph/store.js';
import { graphUrl, loreUrl, messageUrl, threadUrl } from './urls.js';

/** The constructor handlebars uses to mark a string as already-escaped HTML. */
export type SafeStringCtor = new (html: string) => { toHTML(): string };

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '`': '&#x60;',
  '=': '&#x3D;',
};

/** The same characters handlebars escapes in `{{…}}`. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`=]/g, (c) => HTML_ESCAPES[c]);
}

/**
 * A search snippet as HTML: the text escaped, then each SNIPPET_OPEN…SNIPPET_CLOSE span wrapped in
 * <mark>. Unbalanced markers never leave a tag open. Runs of white space become one space.
 */
export function highlightSnippet(snippet: string): string {
  const escaped = escapeHtml(snippet.replace(/\s+/g, ' ').trim());
  let out = '';
  let open = false;
  for (const part of escaped.split(/([\uE000\uE001])/)) {
    if (part === SNIPPET_OPEN) {
      if (!open) out += '<mark>';
      open = true;
    } else if (part === SNIPPET_CLOSE) {
      if (open) out += '</mark>';
      open = false;
    } else out += part;
  }
  return open ? out + '</mark>' : out;
}

/** `2021-03-04T10:12:00.000Z` → `2021-03-04 10:12 UTC`; no date → `(no date)`. */
export function formatDate(iso: unknown): string {
  if (typeof iso !== 'string' || iso === '') return '(no date)';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

/** Just the day of an ISO timestamp. */
export function formatDay(iso: unknown): string {
  if (typeof iso !== 'string' || iso === '') return '????-??-??';
  return iso.slice(0, 10);
}

/** The zone a sender's Date header gave, as `+0100`; '' when unknown. */
export function formatZone(minutes: unknown): string {
  if (typeof minutes !== 'number' || !Number.isFinite(minutes)) return '';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/** `n word` with the word in the plural unless n is 1: "2 patches", "3 series", "1 claim". */
export function plural(n: unknown, word: string): string {
  const count = n === null || n === undefined ? '' : String(n);
  if (n === 1 || /series$/.test(word)) return `${count} ${word}`;
  return `${count} ${word}${/(?:s|x|z|ch|sh)$/.test(word) ? 'es' : 's'}`;
}

export function createHelpers(SafeString: SafeStringCtor): Record<string, (...args: unknown[]) => unknown> {
  const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
  return {
    highlight: (snippet: unknown) => new SafeString(highlightSnippet(str(snippet))),
    fmtDate: (iso: unknown) => formatDate(iso),
    fmtDay: (iso: unknown) => formatDay(iso),
    fmtZone: (minutes: unknown) => formatZone(minutes),
    lore: (msgid: unknown) => loreUrl(str(msgid)),
    threadUrl: (msgid: unknown) => threadUrl(str(msgid)),
    msgUrl: (msgid: unknown) => messageUrl(str(msgid)),
    graphUrl: (kind: unknown, id: unknown) => graphUrl(str(kind), str(id)),
    confidence: (c: unknown) => (typeof c === 'number' ? c.toFixed(2) : ''),
    eq: (a: unknown, b: unknown) => a === b,
    plural: (n: unknown, word: unknown) => plural(n, str(word)),
    /** Indentation class for a tree row: depth capped so deep threads stay readable. */
    depthClass: (depth: unknown) => `d${Math.min(typeof depth === 'number' ? depth : 0, 12)}`,
    /** Colour class for a quote level: levels past 4 share the last colour. */
    quoteClass: (depth: unknown) => `q${Math.min(typeof depth === 'number' ? depth : 0, 4)}`,
    kb: (bytes: unknown) => (typeof bytes === 'number' ? `${(bytes / 1024).toFixed(bytes < 10240 ? 1 : 0)} KiB` : ''),
  };
}
