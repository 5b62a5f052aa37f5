// Worker entry for model runs started from the web UI: one run per worker, so the server can stop
// a run that takes too long (terminate) without blocking its event loop while it explores.
import { parentPort, workerData } from 'node:worker_threads';
import { explainSvg, explainText, runScenario, type RunResult } from '../../analysis/sparsemem/index.js';
import type { RunRequest, RunReply } from './runTypes.js';

function plain(value: unknown): unknown {
  // BigInts (pfns, addresses) are not JSON; the page shows them as decimal strings.
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}

function run(req: RunRequest): RunReply {
  try {
    const { finalState, ...result } = runScenario(req.scenario, { variants: req.variants, params: req.params, bounds: req.bounds });
    return { ok: true, result: plain(result) as RunResult, svg: explainSvg(finalState), text: explainText(finalState) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

parentPort?.postMessage(run(workerData as RunRequest));
