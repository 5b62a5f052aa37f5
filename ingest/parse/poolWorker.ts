// Worker side of the parser pool: parses RFC 822 bytes posted by pool.ts and posts each Message
// (or the error) back, tagged with its request id.
import { parentPort } from 'node:worker_threads';
import type { Message, Provenance } from '../model.js';
import { parseRfc822 } from './rfc822.js';

export interface ParseRequest {
  id: number;
  bytes: Uint8Array;
  provenance: Provenance;
}

export type ParseResponse =
  | { id: number; ok: true; message: Message }
  | { id: number; ok: false; name: string; error: string };

async function answer(req: ParseRequest): Promise<ParseResponse> {
  const bytes = Buffer.from(req.bytes.buffer, req.bytes.byteOffset, req.bytes.byteLength);
  try {
    return { id: req.id, ok: true, message: await parseRfc822(bytes, req.provenance) };
  } catch (err) {
    return {
      id: req.id,
      ok: false,
      name: err instanceof Error ? err.name : 'Error',
      error: err instanceof Error ? err.message : String(err),
    };
  }
}

// Requests come in batches (pool.ts); the answers to a batch go back as one message.
const port = parentPort;
if (port) {
  port.on('message', (batch: ParseRequest[]) => {
    void (async () => {
      const out: ParseResponse[] = [];
      for (const req of batch) out.push(await answer(req));
      port.postMessage(out);
    })();
  });
}
