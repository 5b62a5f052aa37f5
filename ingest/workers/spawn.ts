// Starting a worker thread on a module of this project, from dist/ (compiled .js) or from the
// sources under tsx (tests, benchmarks, `node --import tsx cli.ts`).
//
// Under tsx, Node 20 does not apply tsx's loader to a worker's entry module even with
// `--import tsx` in execArgv, so a small bootstrap registers tsx inside the worker first and then
// imports the .ts entry.
import { Worker, type ResourceLimits } from 'node:worker_threads';

export interface SpawnOptions {
  resourceLimits?: ResourceLimits;
  workerData?: unknown;
}

/**
 * A worker running `entry` (a path relative to `from`, without extension: `./host`).
 * `from` is the caller's import.meta.url; whether it ends in .ts tells which build is running.
 */
export function spawnWorker(from: string, entry: string, opts: SpawnOptions = {}): Worker {
  if (!from.endsWith('.ts')) return new Worker(new URL(`${entry}.js`, from), opts);
  const target = new URL(`${entry}.ts`, from).href;
  let api = 'tsx/esm/api';
  try {
    api = import.meta.resolve('tsx/esm/api');
  } catch {
    // Resolution from the worker's working directory is the fallback.
  }
  const code =
    `import(${JSON.stringify(api)}).then((m) => { (m.register ?? m.default.register)(); return import(${JSON.stringify(target)}); })` +
    `.catch((e) => { setImmediate(() => { throw e; }); });`;
  return new Worker(code, { ...opts, eval: true });
}
