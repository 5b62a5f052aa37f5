// A pool of worker threads running parseRfc822, for archives where one thread is not enough.
//
//   const pool = createParserPool({ workers: 2 });
//   const msg = await pool.parse(bytes, provenance);   // resolves in any order, one per call
//   await pool.close();
//
// At most `maxInFlight` parses are handed to workers at once; later calls wait for a slot, so
// memory stays bounded however fast the caller reads. `workers: 0` parses on the calling thread.
// Workers load poolWorker.js from dist/, or poolWorker.ts when running under tsx (the worker
// inherits the parent's `--import tsx` through execArgv).
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../workers/spawn.js';
import type { Message, Provenance } from '../model.js';
import type { ParseRequest, ParseResponse } from './poolWorker.js';
import { NotAMailError, parseRfc822 } from './rfc822.js';

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
  /** Worker threads; default min(2, cores). 0 parses on the calling thread. */
  workers?: number;
  /** Parses in flight across all workers; default 32 per worker. */
  maxInFlight?: number;
  /** Old-generation heap limit of each worker in MB (default 40). */
  heapMb?: number;
}

interface Task {
  id: number;
  /** Kept so the message can be parsed on this thread if its worker dies (e.g. out of memory). */
  bytes: Buffer;
  provenance: Provenance;
  resolve: (m: Message) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  tasks: Map<number, Task>;
  /** Requests not yet posted: sent as one message, which costs the worker one wake-up, not many. */
  outbox: ParseRequest[];
  flushQueued: boolean;
}

/** Requests per posted batch at most. */
const BATCH = 16;

function flush(slot: Slot): void {
  slot.flushQueued = false;
  if (slot.outbox.length === 0) return;
  const batch = slot.outbox;
  slot.outbox = [];
  slot.worker.postMessage(
    batch,
    batch.map((r) => r.bytes.buffer as ArrayBuffer),
  );
}

/**
 * Small heaps keep each worker's resident memory down (parsing allocates short-lived strings; V8
 * lets a heap grow towards its limit before collecting hard, so the limit is what a worker ends up
 * holding). On the 91,854-message linux-arm-kernel epoch (derive off), RSS sampled every 0.2 s
 * peaked at 284-290 MB with 96/16 MB and 263-269 MB with 40/8 MB at the same CPU time, with no
 * worker dying; the true high-water mark (VmHWM) catches short spikes above that: 282-307 MB.
 * A mail too big for them kills its worker; its messages are then parsed on the calling thread.
 */
const YOUNG_MB = 8;
const OLD_MB = 40;

/** A worker that cannot even start (broken install) must not be respawned forever. */
const MAX_RESPAWNS = 8;

/** poolWorker.js from dist/, poolWorker.ts under tsx (ingest/workers/spawn.ts). */
function startWorker(heapMb: number): Worker {
  return spawnWorker(import.meta.url, './poolWorker', { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB, maxOldGenerationSizeMb: heapMb } });
}

function errorFrom(res: { name: string; error: string }): Error {
  if (res.name === 'NotAMailError') return new NotAMailError(res.error);
  const e = new Error(res.error);
  e.name = res.name;
  return e;
}

export function createParserPool(opts: ParserPoolOptions = {}): ParserPool {
  const count = Math.max(0, Math.floor(opts.workers ?? Math.min(2, availableParallelism())));
  if (count === 0) {
    return { workers: 0, parse: (bytes, prov) => parseRfc822(bytes, prov), close: async () => undefined, inFlight: () => 0, deaths: () => 0 };
  }
  const maxInFlight = Math.max(1, opts.maxInFlight ?? 32 * count);
  let nextId = 1;
  let inFlight = 0;
  let closed = false;
  /** Workers that died; past MAX_RESPAWNS the pool stops replacing them and fails every call. */
  let deaths = 0;
  let broken: Error | null = null;
  const waiting: (() => void)[] = [];
  const slots: Slot[] = [];

  const spawnSlot = (): Slot => {
    const worker = startWorker(opts.heapMb ?? OLD_MB);
    const slot: Slot = { worker, tasks: new Map(), outbox: [], flushQueued: false };
    worker.on('message', (batch: ParseResponse[]) => {
      for (const res of batch) {
        const t = slot.tasks.get(res.id);
        if (!t) continue;
        slot.tasks.delete(res.id);
        release();
        if (res.ok) t.resolve(res.message);
        else t.reject(errorFrom(res));
      }
    });
    let dead = false;
    const fail = (err: Error): void => {
      if (dead) return;
      dead = true;
      // The worker's in-flight messages are not lost: they are parsed here instead.
      slot.outbox = [];
      for (const t of slot.tasks.values()) {
        release();
        parseRfc822(t.bytes, t.provenance).then(t.resolve, t.reject);
      }
      slot.tasks.clear();
      const i = slots.indexOf(slot);
      deaths++;
      if (deaths > MAX_RESPAWNS && !broken) {
        broken = new Error(`parser workers keep dying (last: ${err.message})`);
        // Callers waiting for a slot must hear about it too.
        for (const w of waiting.splice(0)) w();
      }
      if (i >= 0 && !closed && !broken) slots[i] = spawnSlot();
    };
    worker.on('error', (err) => fail(err instanceof Error ? err : new Error(String(err))));
    worker.on('exit', (code) => {
      if (!closed || slot.tasks.size) fail(new Error(`parser worker exited with code ${code}`));
    });
    return slot;
  };
  for (let i = 0; i < count; i++) slots.push(spawnSlot());

  function release(): void {
    inFlight--;
    const w = waiting.shift();
    if (w) w();
  }

  async function parse(bytes: Buffer, provenance: Provenance): Promise<Message> {
    if (closed) throw new Error('parser pool is closed');
    if (broken) throw broken;
    if (inFlight >= maxInFlight) await new Promise<void>((res) => waiting.push(res));
    if (broken) throw broken;
    inFlight++;
    // A standalone copy, so only this message's bytes cross to the worker (a Buffer may be a
    // view on a larger block), transferred rather than cloned.
    const copy = new Uint8Array(bytes.length);
    copy.set(bytes);
    let best = slots[0];
    for (const s of slots) if (s.tasks.size < best.tasks.size) best = s;
    const id = nextId++;
    return new Promise<Message>((resolve, reject) => {
      best.tasks.set(id, { id, bytes, provenance, resolve, reject });
      best.outbox.push({ id, bytes: copy, provenance });
      if (best.outbox.length >= BATCH) flush(best);
      else if (!best.flushQueued) {
        best.flushQueued = true;
        const target = best;
        setImmediate(() => flush(target));
      }
    });
  }

  async function close(): Promise<void> {
    if (closed) return;
    // Let queued work finish first.
    while (inFlight > 0 || waiting.length > 0) await new Promise((r) => setTimeout(r, 5));
    closed = true;
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  return { workers: count, parse, close, inFlight: () => inFlight, deaths: () => deaths };
}
