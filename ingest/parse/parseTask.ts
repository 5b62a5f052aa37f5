// The parser pool's handler (ingest/parse/pool.ts, run by ingest/workers/taskPool.ts): one mail's
// bytes and provenance in, its Message out. The same function parses on the calling thread.
import type { Message, Provenance } from '../model.js';
import { parseRfc822 } from './rfc822.js';

export interface ParseTask {
  /** The mail's bytes: the caller's Buffer, or the standalone copy transferred to a worker. */
  bytes: Uint8Array;
  provenance: Provenance;
}

export function handle(t: ParseTask): Promise<Message> {
  return parseRfc822(Buffer.from(t.bytes.buffer, t.bytes.byteOffset, t.bytes.byteLength), t.provenance);
}
