// Test-only helpers: read the peer corpus' mbox/eml files and the seed text dumps into bodies.
// Real mail sources are written elsewhere; tests here only need each message's decoded body.
import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';

export interface TestMail {
  messageId: string | null;
  from: { name: string; address: string } | null;
  subject: string;
  inReplyTo: string | null;
  body: string;
  /** Decoded text of text/* attachments (patches sent as attachments). */
  attachmentTexts: string[];
}

/** Split an mbox into the bytes of each message (on `From ` separator lines); a file with none is one message. */
export function splitMbox(bytes: Buffer): Buffer[] {
  const text = bytes.toString('latin1');
  const starts: number[] = [];
  const re = /^From [^\n]*\n/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    // A `From ` line only separates messages at the start of the file or after a newline.
    starts.push(m.index);
  }
  if (starts.length === 0 || text.slice(0, starts[0]).trim() !== '') starts.unshift(0);
  const out: Buffer[] = [];
  for (let k = 0; k < starts.length; k++) {
    const from = starts[k];
    const to = k + 1 < starts.length ? starts[k + 1] : text.length;
    let chunk = bytes.subarray(from, to);
    if (chunk.toString('latin1').startsWith('From ')) chunk = chunk.subarray(chunk.indexOf(0x0a) + 1);
    out.push(chunk);
  }
  return out;
}

/** Parse every message of an mbox/eml file with mailparser's simpleParser. */
export async function readMailFile(path: string): Promise<TestMail[]> {
  const mails: TestMail[] = [];
  for (const chunk of splitMbox(readFileSync(path))) {
    const p = await simpleParser(chunk);
    const from = p.from?.value[0];
    mails.push({
      messageId: p.messageId ? p.messageId.replace(/^<|>$/g, '') : null,
      from: from ? { name: from.name ?? '', address: (from.address ?? '').toLowerCase() } : null,
      subject: p.subject ?? '',
      inReplyTo: typeof p.inReplyTo === 'string' ? p.inReplyTo.replace(/^<|>$/g, '') : null,
      body: (p.text ?? '').replace(/\r\n/g, '\n'),
      attachmentTexts: p.attachments
        .filter((a) => a.contentType.startsWith('text/'))
        .map((a) => a.content.toString('utf8').replace(/\r\n/g, '\n')),
    });
  }
  return mails;
}

export interface DumpMessage {
  /** `YYYY-MM-DD` from the header line. */
  date: string;
  author: string;
  /** 1-based line of the header line in the dump. */
  line: number;
  body: string;
}

/** Split a mail-archive.com text dump on its `YYYY-MM-DD Thread Author` header lines. */
export function splitMailArchiveDump(text: string): DumpMessage[] {
  const lines = text.split('\n');
  const out: DumpMessage[] = [];
  let cur: { date: string; author: string; line: number; body: string[] } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\d{4}-\d\d-\d\d) Thread (.+?)\s*$/.exec(lines[i]);
    if (m) {
      if (cur) out.push({ date: cur.date, author: cur.author, line: cur.line, body: trimSubjectLine(cur.body) });
      cur = { date: m[1], author: m[2], line: i + 1, body: [] };
    } else if (cur) cur.body.push(lines[i]);
  }
  if (cur) out.push({ date: cur.date, author: cur.author, line: cur.line, body: trimSubjectLine(cur.body) });
  return out;
}

/** Each message's body is followed by the next message's subject line and a blank line; drop them. */
function trimSubjectLine(body: string[]): string {
  const b = [...body];
  while (b.length > 0 && b[b.length - 1].trim() === '') b.pop();
  if (b.length >= 1 && /^(?:Re: |RE: |\[PATCH|\[RFC)/.test(b[b.length - 1]) && (b.length < 2 || b[b.length - 2].trim() === '')) {
    b.pop();
    while (b.length > 0 && b[b.length - 1].trim() === '') b.pop();
  }
  return b.join('\n');
}
