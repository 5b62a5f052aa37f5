// Test helper: the messages of a peer-corpus mbox file, read with the project's own mbox source
// (sources/mbox.ts) and RFC 822 parser (parse/rfc822.ts). Files without any `From ` separator
// (bare RFC 822) come out of the mbox source as one message.
import type { Message } from '../model.js';
import { parseRfc822 } from '../parse/rfc822.js';
import { readMbox } from '../sources/mbox.js';

/** Every message of an mbox file, in file order. */
export async function readMboxMessages(path: string): Promise<Message[]> {
  const out: Message[] = [];
  for await (const item of readMbox(path)) {
    if (item.kind === 'message') out.push(item.message);
    else out.push(await parseRfc822(item.bytes, item.provenance));
  }
  return out;
}
