// Worker entry for model runs started from the web UI: one run per worker, so the server can stop
// a run that takes too long (terminate) without blocking its event loop while it explores.
import { parentPort, workerData } from 'node:worker_threads';
import { explainSvg, explainText, runScenario, type RunResult } from '../../analysis/sparsemem/index.js';
import { rerun, type CheckRun } from '../../analysis/checks/index.js';
import type { CheckRerunReply, RunReply, RunRequest, WorkerJob } from './runTypes.js';

function plain<T>(value: T): T {
  // BigInts (pfns, addresses) are not JSON; the page shows them as decimal strings.
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as T;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function runOne(req: RunRequest): RunReply {
  try {
    const { finalState, ...result } = runScenario(req.scenario, { variants: req.variants, params: req.params, bounds: req.bounds, kernel: req.kernel, profile: req.profile });
    return { ok: true, result: plain<RunResult>(result), svg: explainSvg(finalState), text: explainText(finalState) };
  } catch (err) {
    return { ok: false, error: message(err) };
  }
}

function rerunAll(runs: CheckRun[]): CheckRerunReply {
  try {
    return { ok: true, runs: runs.map((r) => plain(rerun(r))) };
  } catch (err) {
    return { ok: false, error: message(err) };
  }
}

const job = workerData as WorkerJob;
parentPort?.postMessage(job.kind === 'check-runs' ? rerunAll(job.runs) : runOne(job.request));
