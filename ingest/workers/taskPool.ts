// A pool of worker threads running one pure handler function over many requests, for the
// per-message stages after parsing (derive, claim extraction), which are CPU-bound and
// independent per message.
//
//   const pool = createTaskPool<Req, Res>({ from: import.meta.url, handler: './task', local: handle });
//   const res = await pool.run(req);   // results resolve in any order, one per call
//   await pool.close();
//
// The handler module exports `handle(req): res` or `handle(req): Promise<res>` (plain data both
// ways: structured clone). The same function is passed as `local`: with `workers: 0` every request
// runs on the calling thread, and when a worker dies (e.g. out of memory on a huge mail) its
// requests are run there instead, so a request is never lost; past MAX_RESPAWNS deaths (a worker
// that cannot even start) no worker is started again and the calling thread does everything. At
// most `maxInFlight` requests are out at once; later calls wait. The parser pool
// (ingest/parse/pool.ts) is this pool with a wire form that transfers the mail's bytes.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from './spawn.js';
import type { HostRequest, HostResponse } from './host.js';

export interface TaskPool<Req, Res> {
  run(req: Req): Promise<Res>;
  close(): Promise<void>;
  /** Worker threads (0 = on the calling thread). */
  readonly workers: number;
  /** Workers that died (their requests ran on the calling thread). */
  deaths(): number;
  /** Requests handed to workers and not yet answered (never above maxInFlight). */
  inFlight(): number;
}

export interface TaskPoolOptions<Req, Res> {
  /** The caller's import.meta.url; `handler` is resolved against it. */
  from: string;
  /** The handler module, relative and without extension (`./messageTask`). */
  handler: string;
  /** The same handler, for the calling thread. */
  local: (req: Req) => Res | Promise<Res>;
  /** What is posted to the worker for `req` (default `req` itself) and the buffers to transfer
   * with it; `req` is kept as it was, for the calling thread should the worker die. */
  wire?: (req: Req) => { req: unknown; transfer: ArrayBuffer[] };
  /** An error from a worker, as the handler threw it (default: an Error with its name). */
  errorFrom?: (name: string, message: string) => Error;
  /** Worker threads; default min(2, cores). */
  workers?: number;
  /** Requests out at once across workers; default 64 per worker. */
  maxInFlight?: number;
  /** Old-generation heap limit of each worker in MB (default 256). */
  heapMb?: number;
  /** Young-generation limit of each worker in MB (default: V8's). */
  youngMb?: number;
}

interface Pending<Req, Res> {
  req: Req;
  resolve: (r: Res) => void;
  reject: (e: Error) => void;
}

interface Slot<Req, Res> {
  worker: Worker;
  tasks: Map<number, Pending<Req, Res>>;
  outbox: HostRequest<unknown>[];
  transfer: ArrayBuffer[];
  flushQueued: boolean;
  dead: boolean;
}

/**
 * Below this many requests, starting workers (each loads its modules, ~0.3 s) costs more than it
 * saves: stages pass their request count to workersFor() and run on the calling thread.
 */
export const MIN_REQUESTS_FOR_WORKERS = 2000;

/** The `workers` option for a stage of `requests` requests: as asked, else none for small stages. */
export function workersFor(requests: number, asked: number | undefined): number | undefined {
  if (asked !== undefined) return asked;
  return requests < MIN_REQUESTS_FOR_WORKERS ? 0 : undefined;
}

/** Worker threads of a stage when none are asked for: two, or fewer on a smaller machine. */
export function defaultStageWorkers(): number {
  return Math.min(2, availableParallelism());
}

/** Requests per posted message at most: one wake-up of the worker for many requests. */
const BATCH = 16;
const MAX_RESPAWNS = 8;

export function createTaskPool<Req, Res>(opts: TaskPoolOptions<Req, Res>): TaskPool<Req, Res> {
  const count = Math.max(0, Math.floor(opts.workers ?? defaultStageWorkers()));
  if (count === 0) {
    return { workers: 0, run: async (req) => opts.local(req), close: async () => undefined, deaths: () => 0, inFlight: () => 0 };
  }
  const maxInFlight = Math.max(1, opts.maxInFlight ?? 64 * count);
  const heapMb = opts.heapMb ?? 256;
  let nextId = 1;
  let inFlight = 0;
  let closed = false;
  let deaths = 0;
  const waiting: (() => void)[] = [];
  const slots: Slot<Req, Res>[] = [];

  const release = (): void => {
    inFlight--;
    waiting.shift()?.();
  };
  const runLocally = (p: Pending<Req, Res>): void => {
    Promise.resolve()
      .then(() => opts.local(p.req))
      .then(p.resolve, (e: unknown) => p.reject(e instanceof Error ? e : new Error(String(e))));
  };
  const errorFrom =
    opts.errorFrom ??
    ((name: string, message: string): Error => {
      const e = new Error(message);
      e.name = name;
      return e;
    });
  const flush = (slot: Slot<Req, Res>): void => {
    slot.flushQueued = false;
    if (slot.outbox.length === 0 || slot.dead) return;
    const batch = slot.outbox;
    const transfer = slot.transfer;
    slot.outbox = [];
    slot.transfer = [];
    slot.worker.postMessage(batch, transfer);
  };

  const spawnSlot = (): Slot<Req, Res> => {
    const worker = spawnWorker(import.meta.url, './host', {
      workerData: { handler: new URL(opts.handler + (opts.from.endsWith('.ts') ? '.ts' : '.js'), opts.from).href },
      resourceLimits: { maxOldGenerationSizeMb: heapMb, ...(opts.youngMb ? { maxYoungGenerationSizeMb: opts.youngMb } : {}) },
    });
    const slot: Slot<Req, Res> = { worker, tasks: new Map(), outbox: [], transfer: [], flushQueued: false, dead: false };
    worker.on('message', (batch: HostResponse<Res>[]) => {
      for (const res of batch) {
        const t = slot.tasks.get(res.id);
        if (!t) continue;
        slot.tasks.delete(res.id);
        release();
        if (res.ok) t.resolve(res.value);
        else t.reject(errorFrom(res.name, res.error));
      }
    });
    const fail = (): void => {
      if (slot.dead) return;
      slot.dead = true;
      deaths++;
      slot.outbox = [];
      slot.transfer = [];
      for (const t of slot.tasks.values()) {
        release();
        runLocally(t);
      }
      slot.tasks.clear();
      const i = slots.indexOf(slot);
      if (i >= 0 && !closed) {
        if (deaths <= MAX_RESPAWNS) slots[i] = spawnSlot();
        else slots.splice(i, 1);
      }
    };
    worker.on('error', fail);
    worker.on('exit', () => {
      if (!closed || slot.tasks.size) fail();
    });
    return slot;
  };
  for (let i = 0; i < count; i++) slots.push(spawnSlot());

  async function run(req: Req): Promise<Res> {
    if (closed) throw new Error('task pool is closed');
    if (inFlight >= maxInFlight) await new Promise<void>((r) => waiting.push(r));
    // Every worker gone for good: the calling thread does the work.
    if (slots.length === 0) return await opts.local(req);
    inFlight++;
    let best = slots[0];
    for (const s of slots) if (s.tasks.size < best.tasks.size) best = s;
    const id = nextId++;
    const slot = best;
    return new Promise<Res>((resolve, reject) => {
      slot.tasks.set(id, { req, resolve, reject });
      if (opts.wire) {
        const w = opts.wire(req);
        slot.outbox.push({ id, req: w.req });
        slot.transfer.push(...w.transfer);
      } else slot.outbox.push({ id, req });
      if (slot.outbox.length >= BATCH) flush(slot);
      else if (!slot.flushQueued) {
        slot.flushQueued = true;
        setImmediate(() => flush(slot));
      }
    });
  }

  async function close(): Promise<void> {
    if (closed) return;
    while (inFlight > 0 || waiting.length > 0) await new Promise((r) => setTimeout(r, 5));
    closed = true;
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  return { workers: count, run, close, deaths: () => deaths, inFlight: () => inFlight };
}
