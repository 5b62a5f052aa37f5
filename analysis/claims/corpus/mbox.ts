// A small mbox reader for the peer corpus: splits on `From ` separator lines, unfolds headers,
// undoes base64 / quoted-printable and takes the first text/plain part of multipart mail.
import { basename } from 'node:path';
import type { CorpusMessage } from './types.js';

interface Part {
  headers: Map<string, string>;
  body: string;
  /** Offset of `body` in the whole raw message. */
  bodyOffset: number;
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const m = /^([!-9;-~]+):\s?(.*)$/.exec(line);
    if (m && !headers.has(m[1].toLowerCase())) headers.set(m[1].toLowerCase(), m[2].trim());
  }
  return headers;
}

function splitPart(text: string, offset: number): Part {
  const m = /\r?\n\r?\n/.exec(text);
  if (!m) return { headers: parseHeaders(text), body: '', bodyOffset: offset + text.length };
  return { headers: parseHeaders(text.slice(0, m.index)), body: text.slice(m.index + m[0].length), bodyOffset: offset + m.index + m[0].length };
}

function decodeBody(part: Part): string {
  const cte = (part.headers.get('content-transfer-encoding') ?? '').toLowerCase();
  if (cte === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (cte === 'quoted-printable') {
    const bytes = part.body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return part.body;
}

/** The first text/plain part of a message (the message itself when it is not multipart). */
function textPart(part: Part): { text: string; offset: number } | null {
  const ctype = part.headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(ctype)?.[1];
  if (/^multipart\//i.test(ctype) && boundary) {
    const delimiter = new RegExp(`^--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?\\n?`, 'gm');
    const marks = [...part.body.matchAll(delimiter)];
    for (let k = 0; k < marks.length; k++) {
      const from = marks[k].index + marks[k][0].length;
      const to = k + 1 < marks.length ? marks[k + 1].index : part.body.length;
      const found = textPart(splitPart(part.body.slice(from, to), part.bodyOffset + from));
      if (found !== null) return found;
    }
    return null;
  }
  if (!/^text\/plain/i.test(ctype)) return null;
  return { text: decodeBody(part), offset: part.bodyOffset };
}

/** Reads every message of an mbox file. */
export function readMbox(text: string, path: string): CorpusMessage[] {
  const source = basename(path);
  const lines = text.split('\n');
  const starts: number[] = [];
  lines.forEach((l, i) => {
    if (/^From \S+/.test(l) && (i === 0 || lines[i - 1].trim() === '' || /^From \S+ \w{3} \w{3}/.test(l))) starts.push(i);
  });
  if (starts.length === 0) starts.push(-1);
  const out: CorpusMessage[] = [];
  starts.forEach((at, k) => {
    const end = k + 1 < starts.length ? starts[k + 1] : lines.length;
    const raw = lines.slice(at + 1, end).join('\n');
    const part = splitPart(raw, 0);
    const found = textPart(part);
    if (found === null) return;
    const body = found.text;
    const headerLines = raw.slice(0, found.offset).split('\n').length;
    const h = part.headers;
    const msgid = /<([^>]+)>/.exec(h.get('message-id') ?? '')?.[1] ?? `${source}:${at + 2}`;
    out.push({
      msgid,
      source,
      bodyLine: at + 1 + headerLines,
      author: h.get('from') ?? '',
      date: h.get('date') ?? '',
      subject: h.get('subject') ?? '',
      lines: body.replace(/\r\n/g, '\n').replace(/^>From /gm, 'From ').split('\n'),
      unmarkedQuotes: new Set(),
    });
  });
  return out;
}
