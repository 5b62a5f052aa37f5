// Text copies of lkml.org message pages:
//
//   <subject line>
//   <blank>
//   From: <Author Name>
//   Date: Fri Apr 07 2023 - 06:45:50 EST
//   <blank…>
//   <body…>
//
// Addresses are gone from From:, and obfuscated (`@xxxxxxxxxx`) in the body. A file may hold
// several pages one after another. Page navigation that survived the copy (hypermail's
// `Next message:` lines, lkml.org's date trail) is cut from the body into `footers`.
import type { Message, Skip } from '../model.js';
import { parseDate } from '../parse/date.js';
import { inferParents } from '../thread/infer.js';
import { dumpLines, trimBlank, type DumpLine } from './dump/lines.js';
import { dumpMessage } from './dump/message.js';
import { stripChrome } from './dump/pageChrome.js';

const FROM_LINE = /^From:\s*(.*?)\s*$/;
const DATE_LINE = /^Date:\s*(.*?)\s*$/;
/** lkml.org's own date format; a page whose Date has it is certainly an lkml.org page. */
const LKML_DATE = /^\w{3} \w{3} \d{1,2} \d{4} - \d{1,2}:\d{2}:\d{2}(?: [A-Z]{2,5}| [+-]\d{4})?$/;

interface PageHead {
  subjectAt: number;
  fromAt: number;
  dateAt: number;
}

/**
 * A page starts with a subject, a blank line, then `From:` and `Date:` on consecutive lines (or
 * with `From:` on the first line of the file). The Date must read as a date.
 */
function findPages(lines: DumpLine[]): PageHead[] {
  const out: PageHead[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const date = DATE_LINE.exec(lines[i + 1].text);
    if (!FROM_LINE.test(lines[i].text) || !date || parseDate(date[1]).iso === null) continue;
    const prev = out.length > 0 ? out[out.length - 1].dateAt : -1;
    let subjectAt = i;
    if (i > 0) {
      if (lines[i - 1].text.trim() !== '') continue;
      let s = i - 1;
      while (s > prev && lines[s].text.trim() === '' && i - s <= 3) s--;
      if (s > prev && lines[s].text.trim() !== '') subjectAt = s;
      else if (!LKML_DATE.test(date[1])) continue;
    }
    out.push({ subjectAt, fromAt: i, dateAt: i + 1 });
    i += 1;
  }
  return out;
}

export function looksLikeLkmlDump(head: string): boolean {
  const lines = head.split(/\r?\n/).slice(0, 12);
  for (let i = 0; i + 1 < lines.length; i++) {
    const d = DATE_LINE.exec(lines[i + 1]);
    if (FROM_LINE.test(lines[i]) && d && LKML_DATE.test(d[1])) return true;
  }
  return false;
}

/** Parse an lkml.org text dump (one or more message pages). */
export function parseLkmlDump(text: string, source: string): { messages: Message[]; skips: Skip[] } {
  const messages: Message[] = [];
  const skips: Skip[] = [];
  try {
    const all = String(text);
    const lines = dumpLines(all);
    const pages = findPages(lines);
    if (pages.length === 0) {
      if (all.trim()) skips.push({ source, offset: 0, reason: 'no lkml.org page header (From:/Date: lines) found' });
      return { messages, skips };
    }
    const preamble = lines.slice(0, pages[0].subjectAt).filter((l) => l.text.trim() !== '');
    if (preamble.length > 0) {
      skips.push({ source, offset: preamble[0].offset, reason: `${preamble.length} line(s) before the first page` });
    }
    for (let p = 0; p < pages.length; p++) {
      const { subjectAt, fromAt, dateAt } = pages[p];
      const end = p + 1 < pages.length ? pages[p + 1].subjectAt : lines.length;
      const author = FROM_LINE.exec(lines[fromAt].text)?.[1] ?? '';
      const dateRaw = DATE_LINE.exec(lines[dateAt].text)?.[1] ?? '';
      const { body: kept, chrome } = stripChrome(lines.slice(dateAt + 1, end).map((l) => l.text));
      const body = trimBlank(kept).join('\n');
      const start = lines[subjectAt];
      const endOffset = end < lines.length ? lines[end].offset : Buffer.byteLength(all, 'utf8');
      if (!author) skips.push({ source, offset: lines[fromAt].offset, reason: 'page without an author in From:' });
      const message = dumpMessage({
        subject: subjectAt < fromAt ? start.text.trim() : '',
        author,
        dateRaw: dateRaw || null,
        body,
        provenance: { source, format: 'lkml', offset: start.offset, length: endOffset - start.offset, line: start.line },
      });
      if (chrome.length > 0) message.footers.push(chrome.join('\n'));
      messages.push(message);
    }
    return { messages: inferParents(messages), skips };
  } catch (err) {
    // Defensive: a parser bug must not take the ingest down; report what was lost.
    skips.push({ source, offset: 0, reason: `lkml dump could not be parsed: ${(err as Error).message}` });
    return { messages, skips };
  }
}
