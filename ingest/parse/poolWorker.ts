// Worker side of the parser pool: parses RFC 822 bytes posted by pool.ts and posts the Message
// (or the error) back, tagged with the request id.
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

const port = parentPort;
if (port) {
  port.on('message', (req: ParseRequest) => {
    const bytes = Buffer.from(req.bytes.buffer, req.bytes.byteOffset, req.bytes.byteLength);
    parseRfc822(bytes, req.provenance).then(
      (message) => port.postMessage({ id: req.id, ok: true, message } satisfies ParseResponse),
      (err: unknown) =>
        port.postMessage({
          id: req.id,
          ok: false,
          name: err instanceof Error ? err.name : 'Error',
          error: err instanceof Error ? err.message : String(err),
        } satisfies ParseResponse),
    );
  });
}
