// Text copies of mail-archive.com pages: thread pages and author archives. Each message is
//
//   <subject line>
//   <blank>
//   YYYY-MM-DD Thread <Author Name>   (the address after the name was stripped)
//   <body…>
//
// Messages follow one another (newest first); a pager line `<  8   9   10 >` may end the page.
import type { Message, Skip } from '../model.js';
import { inferParents } from '../thread/infer.js';
import { dumpLines, trimBlank, type DumpLine } from './dump/lines.js';
import { dumpMessage } from './dump/message.js';
import { stripChrome } from './dump/pageChrome.js';

const DATE_LINE = /^(\d{4}-\d{2}-\d{2})\s+Thread\s+(.*?)\s*$/;
const PAGER = /^\s*<?\s*(?:\d+\s+){2,}\d*\s*>?\s*$|^\s*<\s+(?:\d+\s*)+>?\s*$/;

/** Index of each message header: the date line and the subject line two above it. */
function findHeaders(lines: DumpLine[]): { subjectAt: number; dateAt: number }[] {
  const out: { subjectAt: number; dateAt: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!DATE_LINE.test(lines[i].text)) continue;
    let s = i - 1;
    let blanks = 0;
    while (s >= 0 && lines[s].text.trim() === '' && blanks < 3) {
      s--;
      blanks++;
    }
    const prev = out.length > 0 ? out[out.length - 1].dateAt : -1;
    const subjectAt = s > prev && s >= 0 && lines[s].text.trim() !== '' ? s : i;
    out.push({ subjectAt, dateAt: i });
  }
  return out;
}

export function looksLikeMailArchiveDump(head: string): boolean {
  const lines = head.split(/\r?\n/).slice(0, 40);
  for (let i = 0; i < lines.length; i++) {
    if (DATE_LINE.test(lines[i]) && i >= 1) {
      const above = lines.slice(Math.max(0, i - 3), i).filter((l) => l.trim() !== '');
      if (above.length > 0) return true;
    }
  }
  return false;
}

/** Parse a mail-archive.com text dump into messages, with parents inferred from their content. */
export function parseMailArchiveDump(text: string, source: string): { messages: Message[]; skips: Skip[] } {
  const messages: Message[] = [];
  const skips: Skip[] = [];
  try {
    const lines = dumpLines(String(text));
    const headers = findHeaders(lines);
    if (headers.length === 0) {
      if (String(text).trim()) skips.push({ source, offset: 0, reason: 'no mail-archive message header (YYYY-MM-DD Thread Author) found' });
      return { messages, skips };
    }
    const preamble = lines.slice(0, headers[0].subjectAt).filter((l) => l.text.trim() !== '');
    if (preamble.length > 0) {
      skips.push({ source, offset: preamble[0].offset, reason: `${preamble.length} line(s) before the first message` });
    }
    for (let h = 0; h < headers.length; h++) {
      const { subjectAt, dateAt } = headers[h];
      const end = h + 1 < headers.length ? headers[h + 1].subjectAt : lines.length;
      const m = DATE_LINE.exec(lines[dateAt].text);
      if (!m) continue;
      let bodyLines = lines.slice(dateAt + 1, end).map((l) => l.text);
      if (h + 1 === headers.length) {
        bodyLines = trimBlank(bodyLines);
        while (bodyLines.length > 0 && PAGER.test(bodyLines[bodyLines.length - 1])) bodyLines.pop();
      }
      const { body: kept, chrome } = stripChrome(bodyLines);
      const body = trimBlank(kept).join('\n');
      const subject = subjectAt < dateAt ? lines[subjectAt].text.trim() : '';
      const author = m[2];
      if (!author) {
        skips.push({ source, offset: lines[dateAt].offset, reason: 'message header without an author' });
      }
      const startLine = lines[subjectAt];
      const endOffset = end < lines.length ? lines[end].offset : Buffer.byteLength(String(text), 'utf8');
      const message = dumpMessage({
        subject,
        author,
        dateRaw: m[1],
        body,
        provenance: {
          source,
          format: 'mail-archive',
          offset: startLine.offset,
          length: endOffset - startLine.offset,
          line: startLine.line,
        },
      });
      if (chrome.length > 0) message.footers.push(chrome.join('\n'));
      messages.push(message);
    }
    return { messages: inferParents(messages), skips };
  } catch (err) {
    // Defensive: a parser bug must not take the ingest down; report what was lost.
    skips.push({ source, offset: 0, reason: `mail-archive dump could not be parsed: ${(err as Error).message}` });
    return { messages, skips };
  }
}
