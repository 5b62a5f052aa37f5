// RFC 822 bytes → Message. Headers are always parsed by us (headers.ts, then D's address / date /
// subject parsers); the body takes the fast path for single-part text/plain mail and mailparser
// for anything MIME-complex. A weird mail is salvaged, not rejected: only input with no header
// field at all (not a mail) throws, and the caller reports it as a skip.
//
// A mail without Message-ID and/or Date (Perceval's mbox_no_fields drops such mails) is kept:
// it gets a stable synthetic id (`synthetic: true`) and `date: null`. loregraph loses no data.
import type { Message, Provenance } from '../model.js';
import { assembleMessage, isReadField } from './assemble.js';
import { decodeUnknown } from './charset.js';
import { fastBody, fastPathRefusal } from './fastBody.js';
import { parseHeaderBlock } from './headers.js';
import { mimeBody } from './mime.js';

/** Thrown when bytes hold nothing that can be read as a mail. */
export class NotAMailError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NotAMailError';
  }
}

export type ParsePath = 'fast' | 'mime' | 'salvage';

export interface ParseOptions {
  /** Force a path (tests compare them); default: fast when it applies, else mime. */
  path?: 'fast' | 'mime';
}

/** Parse one message. Throws NotAMailError only when nothing can be salvaged. */
export async function parseRfc822(bytes: Buffer, provenance: Provenance, opts: ParseOptions = {}): Promise<Message> {
  return (await parseRfc822WithPath(bytes, provenance, opts)).message;
}

/** As parseRfc822, also telling which path decoded the body. */
export async function parseRfc822WithPath(
  bytes: Buffer,
  provenance: Provenance,
  opts: ParseOptions = {},
): Promise<{ message: Message; path: ParsePath }> {
  if (bytes.length === 0 || bytes.every((b) => b === 0x0a || b === 0x0d || b === 0x20 || b === 0x09)) {
    throw new NotAMailError('empty message');
  }
  const block = parseHeaderBlock(bytes, isReadField);
  if (block.fields.size === 0 && !hasAnyField(bytes)) throw new NotAMailError('no mail header fields');
  const prov: Provenance = provenance.length === undefined ? { ...provenance, length: bytes.length } : provenance;

  const refusal = fastPathRefusal(block, bytes);
  if (opts.path !== 'mime' && (refusal === null || opts.path === 'fast')) {
    if (refusal !== null) throw new Error(`fast path does not apply: ${refusal}`);
    return { message: assembleMessage(block.fields, fastBody(bytes, block), [], prov), path: 'fast' };
  }
  try {
    const { body, attachments } = await mimeBody(bytes);
    return { message: assembleMessage(block.fields, body, attachments, prov), path: 'mime' };
  } catch {
    // mailparser gave up: keep the headers and the raw body text rather than lose the mail.
    const body = decodeUnknown(bytes.subarray(block.bodyStart)).replace(/\r?\n/g, '\n');
    return { message: assembleMessage(block.fields, body, [], prov), path: 'salvage' };
  }
}

/** True when the fast path would decode this mail's body. */
export function fastPathApplies(bytes: Buffer): boolean {
  return fastPathRefusal(parseHeaderBlock(bytes, isReadField), bytes) === null;
}

/** Does the header block hold any field at all (also ones the parser does not read)? */
function hasAnyField(bytes: Buffer): boolean {
  return parseHeaderBlock(bytes).fields.size > 0;
}
