// A pool of worker threads parsing mail, for archives where one thread is not enough: the task
// pool of ingest/workers/taskPool.ts running parseTask.ts, with each mail's bytes copied out of
// the block they may be a view on and transferred, not cloned.
//
//   const pool = createParserPool({ workers: 2 });
//   const msg = await pool.parse(bytes, provenance);   // resolves in any order, one per call
//   await pool.close();
//
// At most `maxInFlight` parses are handed to workers at once; later calls wait for a slot, so
// memory stays bounded however fast the caller reads. `workers: 0` parses on the calling thread;
// so does a worker's share when it dies (a mail too big for its heap).
import { availableParallelism } from 'node:os';
import type { Message, Provenance } from '../model.js';
import { createTaskPool } from '../workers/taskPool.js';
import { handle, type ParseTask } from './parseTask.js';
import { NotAMailError } from './rfc822.js';

export interface ParserPool {
  parse(bytes: Buffer, provenance: Provenance): Promise<Message>;
  close(): Promise<void>;
  /** Number of worker threads (0 = in-thread). */
  readonly workers: number;
  /** Parses handed to workers and not yet answered (never above maxInFlight). */
  inFlight(): number;
  /** Workers that died (their messages were parsed on the calling thread instead). */
  deaths(): number;
}

export interface ParserPoolOptions {
  /** Worker threads; default defaultParseWorkers() (the ingest pipeline passes its own). 0 parses on the calling thread. */
  workers?: number;
  /** Parses in flight across all workers; default 32 per worker. */
  maxInFlight?: number;
  /** Old-generation heap limit of each worker in MB (default 40). */
  heapMb?: number;
}

/**
 * Small heaps keep each worker's resident memory down (parsing allocates short-lived strings; V8
 * lets a heap grow towards its limit before collecting hard, so the limit is what a worker ends up
 * holding). On the 91,854-message linux-arm-kernel epoch (derive off), RSS sampled every 0.2 s
 * peaked at 284-290 MB with 96/16 MB and 263-269 MB with 40/8 MB at the same CPU time, with no
 * worker dying; the true high-water mark (VmHWM) catches short spikes above that: 282-307 MB.
 */
const YOUNG_MB = 8;
const OLD_MB = 40;

/**
 * Parser workers when none are asked for: the cores the calling thread leaves free (it reads the
 * sources and writes the store, about a core's work in an ingest), at least one and at most two.
 * On the 2-core machine this project is measured on, one worker parsed the 91,854-message
 * linux-arm-kernel epoch as fast as two (derive off: 2,565 msgs/s against 2,566-2,603, 37 CPU-s
 * against 40-42) with a smaller peak (260 MB against 288-302; 285 MB against 318 with git beside it).
 * (With the derive stage after it, the ingest pipeline gives parsing that stage's workers instead:
 * parsePlan() in ingest/pipeline.ts.)
 */
export function defaultParseWorkers(): number {
  return Math.min(2, Math.max(1, availableParallelism() - 1));
}

/** A standalone copy of the bytes (a Buffer may be a view on a larger block): only they cross. */
function wire(t: ParseTask): { req: ParseTask; transfer: ArrayBuffer[] } {
  const copy = new Uint8Array(t.bytes.byteLength);
  copy.set(t.bytes);
  return { req: { bytes: copy, provenance: t.provenance }, transfer: [copy.buffer] };
}

function errorFrom(name: string, message: string): Error {
  if (name === 'NotAMailError') return new NotAMailError(message);
  const e = new Error(message);
  e.name = name;
  return e;
}

export function createParserPool(opts: ParserPoolOptions = {}): ParserPool {
  const pool = createTaskPool<ParseTask, Message>({
    from: import.meta.url,
    handler: './parseTask',
    local: handle,
    wire,
    errorFrom,
    workers: opts.workers ?? defaultParseWorkers(),
    maxInFlight: opts.maxInFlight ?? 32 * Math.max(1, opts.workers ?? defaultParseWorkers()),
    heapMb: opts.heapMb ?? OLD_MB,
    youngMb: YOUNG_MB,
  });
  return {
    workers: pool.workers,
    parse: (bytes, provenance) => pool.run({ bytes, provenance }),
    close: () => pool.close(),
    inFlight: () => pool.inFlight(),
    deaths: () => pool.deaths(),
  };
}
