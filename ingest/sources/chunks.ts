// Byte chunks of a file or stream, gunzipped when the first bytes are the gzip magic (never by
// file name). A gzip stream that ends early or is corrupt yields everything that decompressed
// and records where and why it stopped, for the caller to report as a skip.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

export interface ChunkReader {
  /** Decompressed chunks, in order. */
  chunks: AsyncGenerator<Buffer>;
  /** True when the input was gzip. */
  gzip: boolean;
  /** Size of the input on disk (compressed size for gzip), null for streams. */
  bytesTotal: number | null;
  /** Bytes consumed from the input so far (compressed bytes for gzip). */
  bytesRead(): number;
  /** Set once `chunks` is done when the input ended badly: decompressed offset reached and reason. */
  problem(): { offset: number; reason: string } | null;
}

const CHUNK = 1 << 20;

/** Read the first bytes of a stream without losing them. */
async function peek(stream: Readable, want: number): Promise<{ head: Buffer; rest: AsyncIterator<Buffer> }> {
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const got: Buffer[] = [];
  let len = 0;
  while (len < want) {
    const r = await it.next();
    if (r.done) break;
    const b = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    got.push(b);
    len += b.length;
  }
  return { head: Buffer.concat(got, len), rest: it };
}

function zlibReason(err: unknown): string {
  const code = (err as { code?: string }).code;
  const msg = err instanceof Error ? err.message : String(err);
  if (code === 'Z_BUF_ERROR' || /unexpected end/i.test(msg)) return 'truncated gzip';
  return `corrupt gzip: ${msg}`;
}

/** Open a byte stream (file path or readable) for chunked reading. */
export async function openChunks(input: string | Readable): Promise<ChunkReader> {
  const bytesTotal = typeof input === 'string' ? (await stat(input)).size : null;
  const raw = typeof input === 'string' ? createReadStream(input, { highWaterMark: CHUNK }) : input;
  let consumed = 0;
  let problem: { offset: number; reason: string } | null = null;
  const { head, rest } = await peek(raw, 2);
  const gzip = head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];

  async function* source(): AsyncGenerator<Buffer> {
    if (head.length) {
      consumed += head.length;
      yield head;
    }
    for (;;) {
      const r = await rest.next();
      if (r.done) return;
      const b = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
      consumed += b.length;
      yield b;
    }
  }

  async function* plain(): AsyncGenerator<Buffer> {
    yield* source();
  }

  async function* gunzipped(): AsyncGenerator<Buffer> {
    const gz = createGunzip({ chunkSize: 1 << 16 });
    let out = 0;
    const feed = (async (): Promise<void> => {
      try {
        for await (const b of source()) {
          if (gz.destroyed) break;
          if (!gz.write(b)) {
            await new Promise<void>((res) => {
              gz.once('drain', res);
              gz.once('close', res);
            });
          }
          if (gz.destroyed) break;
        }
        if (!gz.destroyed) gz.end();
      } catch (err) {
        gz.destroy(err instanceof Error ? err : new Error(String(err)));
      }
    })();
    try {
      for await (const c of gz as AsyncIterable<Buffer>) {
        out += c.length;
        yield c;
      }
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      const zlib = code.startsWith('Z_') || /unexpected end|incorrect header|invalid/i.test(String(err));
      problem = {
        offset: out,
        reason: zlib ? zlibReason(err) : `read error: ${err instanceof Error ? err.message : String(err)}`,
      };
      gz.destroy();
      raw.destroy();
    }
    await feed.catch(() => undefined);
    await rest.return?.();
  }

  return {
    chunks: gzip ? gunzipped() : plain(),
    gzip,
    bytesTotal,
    bytesRead: () => consumed,
    problem: () => problem,
  };
}
