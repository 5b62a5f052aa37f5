// One raw RFC 822 message per file (`.eml`, a saved patch mail, a maildir entry), plain or gzip.
import type { Readable } from 'node:stream';
import type { RawItem, SourceFormat } from '../model.js';
import { openChunks } from './chunks.js';
import type { SourceHooks } from './types.js';

/** Whole decompressed contents of a file or stream; `problem` set when a gzip ended badly. */
export async function readWhole(
  input: string | Readable,
): Promise<{ bytes: Buffer; bytesTotal: number | null; problem: { offset: number; reason: string } | null }> {
  const reader = await openChunks(input);
  const parts: Buffer[] = [];
  for await (const c of reader.chunks) parts.push(c);
  return { bytes: Buffer.concat(parts), bytesTotal: reader.bytesTotal, problem: reader.problem() };
}

/** Yield the single message a file holds. */
export async function* readEml(
  input: string | Readable,
  hooks: SourceHooks = {},
  source?: string,
  format: SourceFormat = 'eml',
): AsyncGenerator<RawItem> {
  const name = source ?? (typeof input === 'string' ? input : '-');
  const { bytes, bytesTotal, problem } = await readWhole(input);
  hooks.onProgress?.({ source: name, bytesRead: bytesTotal ?? bytes.length, bytesTotal });
  if (problem) {
    hooks.onSkip?.({ source: name, offset: problem.offset, reason: `${problem.reason}: incomplete message` });
    return;
  }
  if (bytes.length === 0) {
    hooks.onSkip?.({ source: name, offset: 0, reason: 'empty file' });
    return;
  }
  yield { kind: 'rfc822', bytes, provenance: { source: name, format, offset: 0, length: bytes.length, line: 1 } };
}
