// What is at a path: a public-inbox inbox or epoch, a maildir, a directory of mixed inputs, or a
// file that is an mbox (plain or gzip: by magic bytes, never by name), one RFC 822 message, a
// flattened one-line RFC 822 message, or a text dump of a mail-archive.com / lkml.org page.
import { stat } from 'node:fs/promises';
import type { SourceFormat } from '../model.js';
import { parseHeaderBlock } from '../parse/headers.js';
import { openChunks } from './chunks.js';
import { looksLikeFlatRfc822 } from './flatRfc822.js';
import { looksLikeLkmlDump } from './lkml.js';
import { looksLikeMailArchiveDump } from './mailArchive.js';
import { isSeparatorLine } from './mboxSplitter.js';
import { isMaildir } from './maildir.js';
import { listEpochs } from './publicInbox.js';

export type Detected =
  | { kind: 'file'; format: SourceFormat; gzip: boolean }
  /** A file that is none of the formats (binary, a README, a bare diff). */
  | { kind: 'unknown'; reason: string }
  | { kind: 'dir'; format: 'public-inbox' | 'maildir' }
  | { kind: 'mixed-dir' };

/** How much of a file is looked at to decide its format. */
export const HEAD_BYTES = 64 * 1024;

/** The first `n` decompressed bytes of a file. */
export async function readHead(path: string, n = HEAD_BYTES): Promise<{ head: Buffer; gzip: boolean }> {
  const reader = await openChunks(path);
  const parts: Buffer[] = [];
  let len = 0;
  for await (const c of reader.chunks) {
    parts.push(c);
    len += c.length;
    if (len >= n) break;
  }
  await reader.chunks.return(undefined);
  return { head: Buffer.concat(parts, len).subarray(0, n), gzip: reader.gzip };
}

/** Share of bytes that are NUL or other control characters (not tab/CR/LF/ESC/FF). */
function binaryShare(b: Buffer): number {
  let bad = 0;
  const n = Math.min(b.length, 8192);
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c === 0 || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x1b && c !== 0x0c)) bad++;
  }
  return n ? bad / n : 0;
}

/** Format of a file's first bytes (decompressed). */
export function detectFromHead(head: Buffer): { format: SourceFormat } | { unknown: string } {
  if (head.length === 0) return { unknown: 'empty file' };
  if (binaryShare(head) > 0.1) return { unknown: 'binary data, not mail' };
  const text = head.toString('utf8');
  const firstLine = /^\s*([^\r\n]*)/.exec(text)?.[1] ?? '';
  if (isSeparatorLine(firstLine, true)) return { format: 'mbox' };
  if (looksLikeLkmlDump(text)) return { format: 'lkml' };
  if (looksLikeMailArchiveDump(text)) return { format: 'mail-archive' };
  if (looksLikeFlatRfc822(text)) return { format: 'flat-rfc822' };
  const block = parseHeaderBlock(head);
  const names = [...block.fields.keys()];
  const mailish = names.filter((n) =>
    ['from', 'to', 'subject', 'date', 'message-id', 'received', 'return-path', 'in-reply-to', 'references'].includes(n),
  );
  if (mailish.length >= 2 || (mailish.length === 1 && block.clean)) {
    return { format: 'eml' };
  }
  // Separators later in the file (a preamble before the first message).
  if (/\n\r?\nFrom \S[^\n]*\d{1,2}:\d{2}/.test(text)) return { format: 'mbox' };
  return { unknown: 'no mail headers, mbox separator or known archive dump' };
}

/** Detect what `path` is. Throws when it cannot be read at all. */
export async function detectPath(path: string): Promise<Detected> {
  const st = await stat(path);
  if (st.isDirectory()) {
    if ((await listEpochs(path)).length > 0) return { kind: 'dir', format: 'public-inbox' };
    if (await isMaildir(path)) return { kind: 'dir', format: 'maildir' };
    return { kind: 'mixed-dir' };
  }
  const { head, gzip } = await readHead(path);
  const r = detectFromHead(head);
  if ('unknown' in r) return { kind: 'unknown', reason: r.unknown };
  // A gzip file is read through the streaming splitter; an mbox with one message is fine.
  if (gzip && r.format === 'eml') return { kind: 'file', format: 'mbox', gzip };
  return { kind: 'file', format: r.format, gzip };
}
