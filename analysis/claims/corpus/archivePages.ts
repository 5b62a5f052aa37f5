// Readers for the text dumps of archive pages in data/samples: mail-archive.com thread pages and
// author archives (`Subject` / blank / `YYYY-MM-DD Thread Author`), lkml.org pages (`Subject` /
// blank / `From:` / `Date:`), and a raw RFC822 message whose line breaks were lost.
import { basename } from 'node:path';
import type { CorpusMessage } from './types.js';

const THREAD_LINE = /^(\d{4}-\d{2}-\d{2}) Thread (.+?)\s*$/;

/** Splits a mail-archive.com dump into messages, newest first as on the page. */
export function readMailArchivePage(text: string, path: string): CorpusMessage[] {
  const lines = text.split(/\r?\n/);
  const starts: number[] = [];
  for (let i = 2; i < lines.length; i++) {
    if (THREAD_LINE.test(lines[i]) && lines[i - 1].trim() === '' && lines[i - 2].trim() !== '') starts.push(i);
  }
  const source = basename(path);
  const out: CorpusMessage[] = [];
  starts.forEach((at, k) => {
    const m = THREAD_LINE.exec(lines[at]);
    const next = k + 1 < starts.length ? starts[k + 1] - 2 : lines.length;
    const body = lines.slice(at + 1, next);
    out.push({
      msgid: `${source}:${at + 1}`,
      source,
      bodyLine: at + 2,
      author: m ? m[2] : '',
      date: m ? m[1] : '',
      subject: lines[at - 2].trim(),
      lines: body,
      unmarkedQuotes: new Set(),
    });
  });
  markUnmarkedQuotes(out);
  return out;
}

function words(line: string): string[] {
  return line.replace(/^[\s>]+/, '').toLowerCase().split(/\s+/).filter((w) => w !== '');
}

const SHINGLE = 4;

/**
 * mail-archive.com loses the quote markers of some messages. A body line is taken as quoted when
 * every run of four consecutive words in it also occurs in an older message of the page (pages
 * list messages newest first); a shorter line is quoted when the line above it is and an older
 * message has the same line.
 */
function markUnmarkedQuotes(page: CorpusMessage[]): void {
  const older = new Set<string>();
  const olderLines = new Set<string>();
  for (let k = page.length - 1; k >= 0; k--) {
    const msg = page[k];
    let prevQuoted = false;
    msg.lines.forEach((line, i) => {
      if (/^\s*>/.test(line)) {
        prevQuoted = true;
        return;
      }
      const w = words(line);
      if (w.length === 0) return;
      let quoted: boolean;
      if (w.length < SHINGLE) quoted = prevQuoted && olderLines.has(w.join(' '));
      else {
        quoted = true;
        for (let s = 0; s + SHINGLE <= w.length && quoted; s++) quoted = older.has(w.slice(s, s + SHINGLE).join(' '));
      }
      if (quoted) msg.unmarkedQuotes.add(i);
      prevQuoted = quoted;
    });
    for (const line of msg.lines) olderLines.add(words(line).join(' '));
    const stream = msg.lines.flatMap(words);
    for (let s = 0; s + SHINGLE <= stream.length; s++) older.add(stream.slice(s, s + SHINGLE).join(' '));
  }
}

/** Reads an lkml.org page dump: one message. */
export function readLkmlPage(text: string, path: string): CorpusMessage[] {
  const lines = text.split(/\r?\n/);
  const fromAt = lines.findIndex((l) => l.startsWith('From: '));
  const dateAt = lines.findIndex((l) => l.startsWith('Date: '));
  const bodyStart = Math.max(fromAt, dateAt) + 1;
  const source = basename(path);
  return [
    {
      msgid: `${source}:1`,
      source,
      bodyLine: bodyStart + 1,
      author: fromAt >= 0 ? lines[fromAt].slice(6).trim() : '',
      date: dateAt >= 0 ? lines[dateAt].slice(6).trim() : '',
      subject: lines[0].trim(),
      lines: lines.slice(bodyStart),
      unmarkedQuotes: new Set(),
    },
  ];
}

/** Quoted lines of mail are at most about 80 columns wide. */
const MAX_QUOTED_LINE = 80;

/**
 * In a flattened message the reply that follows a quoted line sits on that quoted line. A quoted
 * piece longer than a mail line is cut after the last sentence end within the first 80 columns:
 * what follows is the reply.
 */
function splitReplyFromQuote(piece: string): string[] {
  if (!piece.startsWith('>') || piece.length <= MAX_QUOTED_LINE) return [piece];
  let cut = -1;
  for (const m of piece.matchAll(/[.?!)](?= [A-Z])/g)) if (m.index + 1 <= MAX_QUOTED_LINE) cut = m.index + 1;
  if (cut < 0) return [piece];
  return [piece.slice(0, cut), '', piece.slice(cut + 1)];
}

/**
 * Reads a raw RFC822 message flattened onto one line. The headers end after the last list header
 * (`X-Mailing-List: <addr>`); in the body every run of quote markers (`> >>`) began a line of the
 * original, so the body is split before each such run.
 */
export function readFlatRfc822(text: string, path: string): CorpusMessage[] {
  const flat = text.replace(/\r?\n/g, ' ');
  const end = /X-Mailing-List: \S+ /.exec(flat) ?? /List-ID: \S* /.exec(flat);
  const headerText = end ? flat.slice(0, end.index) : '';
  const bodyText = end ? flat.slice(end.index + end[0].length) : flat;
  const header = (name: string): string => {
    const m = new RegExp(`(?:^| )${name}: (.*?)(?= [A-Z][A-Za-z-]+: |$)`).exec(headerText);
    return m ? m[1].trim() : '';
  };
  const pieces: string[] = [];
  let last = 0;
  for (const m of bodyText.matchAll(/(?:^| )(>(?: ?>)*)(?= |$)/g)) {
    const at = m.index + (m[0].startsWith(' ') ? 1 : 0);
    if (at > last) pieces.push(bodyText.slice(last, at).trimEnd());
    last = at;
    // `> >> > >> text` is an empty quoted line `> >>` followed by `> >> text`: a run made of one
    // mixed-style prefix twice is two lines (a single line never repeats its own prefix).
    const run = m[1];
    const half = (run.length - 1) / 2;
    if (Number.isInteger(half) && run.slice(0, half) === run.slice(half + 1) && run.slice(0, half).includes('>>')) {
      pieces.push(run.slice(0, half));
      last = at + half + 1;
    }
  }
  pieces.push(bodyText.slice(last).trimEnd());
  const lines = pieces.flatMap(splitReplyFromQuote);
  const source = basename(path);
  const msgid = /Message-ID: <([^>]+)>/i.exec(headerText)?.[1] ?? `${source}:1`;
  return [
    {
      msgid,
      source,
      bodyLine: 1,
      author: header('From'),
      date: header('Date'),
      subject: header('Subject'),
      lines: lines.filter((l, i) => i > 0 || l !== ''),
      unmarkedQuotes: new Set(),
    },
  ];
}
