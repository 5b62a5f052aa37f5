// Test-only bridge: reads the peer corpus mbox files into `Message`s with the project's RFC 822
// parser (parse/rfc822.ts). Only the mbox splitting lives here, until the project's mbox source is
// in: split on `From ` separator lines (also when no blank line precedes them, as in b4's
// naked-cover samples), undo mboxrd `>From ` escaping; a file without separators is one bare mail.
import { readFileSync } from 'node:fs';
import type { Message } from '../model.js';
import { parseRfc822 } from '../parse/rfc822.js';

/** Raw messages of an mbox with their byte offsets. */
export function splitMbox(bytes: Buffer): { raw: Buffer; offset: number }[] {
  const out: { raw: Buffer; offset: number }[] = [];
  let pos = 0;
  let bodyStart = 0;
  const push = (end: number): void => {
    if (end > bodyStart) {
      const text = bytes.subarray(bodyStart, end).toString('latin1').replace(/^>(>*From )/gm, '$1');
      if (text.trim()) out.push({ raw: Buffer.from(text, 'latin1'), offset: bodyStart });
    }
  };
  while (pos < bytes.length) {
    let eol = bytes.indexOf(0x0a, pos);
    if (eol < 0) eol = bytes.length;
    if (bytes.subarray(pos, Math.min(pos + 5, eol)).toString('latin1') === 'From ') {
      push(pos);
      bodyStart = eol + 1;
    }
    pos = eol + 1;
  }
  push(bytes.length);
  return out;
}

/** Every message of an mbox file, in file order. */
export async function readMboxMessages(path: string): Promise<Message[]> {
  const out: Message[] = [];
  for (const part of splitMbox(readFileSync(path))) {
    out.push(await parseRfc822(part.raw, { source: path, format: 'mbox', offset: part.offset }));
  }
  return out;
}
