// mbox / mboxrd / mboxo, plain or gzip (lore's t.mbox.gz, pipermail/hyperkitty exports, git
// format-patch output). Streamed: one message in memory at a time, whatever the file size.
import type { Readable } from 'node:stream';
import type { RawItem, SourceFormat } from '../model.js';
import { openChunks, type ChunkReader } from './chunks.js';
import { MboxSplitter, type SplitMessage } from './mboxSplitter.js';
import type { SourceHooks } from './types.js';

function item(m: SplitMessage, source: string, format: SourceFormat): RawItem {
  return {
    kind: 'rfc822',
    bytes: m.bytes,
    provenance: { source, format, offset: m.offset, length: m.bytes.length, line: m.line },
  };
}

/** Split already-opened chunks as an mbox; reports a truncated/corrupt gzip as skips. */
export async function* splitChunks(
  reader: ChunkReader,
  source: string,
  hooks: SourceHooks,
  format: SourceFormat = 'mbox',
): AsyncGenerator<RawItem> {
  const splitter = new MboxSplitter();
  const progress = (): void =>
    hooks.onProgress?.({ source, bytesRead: reader.bytesRead(), bytesTotal: reader.bytesTotal });
  for await (const chunk of reader.chunks) {
    for (const m of splitter.push(chunk)) yield item(m, source, format);
    progress();
  }
  const rest = splitter.end();
  const problem = reader.problem();
  if (problem) {
    // The message the stream ended in is incomplete: reported, not passed on as if whole.
    const last = rest.pop();
    for (const m of rest) yield item(m, source, format);
    if (last) {
      hooks.onSkip?.({
        source,
        offset: last.offset,
        reason: `${problem.reason}: incomplete last message (${last.bytes.length} bytes before the cut)`,
      });
    }
    hooks.onSkip?.({ source, offset: problem.offset, reason: problem.reason });
  } else {
    for (const m of rest) yield item(m, source, format);
  }
  progress();
}

/** Read an mbox file (or stream, with `source` naming it). */
export async function* readMbox(input: string | Readable, hooks: SourceHooks = {}, source?: string): AsyncGenerator<RawItem> {
  const name = source ?? (typeof input === 'string' ? input : '-');
  const reader = await openChunks(input);
  yield* splitChunks(reader, name, hooks);
}
