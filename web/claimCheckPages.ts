// The check page of one claim (/check/<claimId>): the claim, the checks linked to it with the
// linker's reasons, the stored runs behind its verdict (trace, detectors, bounds, model version)
// and a re-run of those runs from their own inputs, bounded, rate-limited and compared with the
// stored verdicts.
import type { Request } from 'express';
import type { GraphStore } from '../graph/store.js';
import type { CheckRunView, ClaimView } from '../graph/claims.js';
import type { CheckRun } from '../analysis/checks/index.js';
import { MODEL_VERSION } from '../analysis/sparsemem/index.js';
import { badRequest, notFound } from './errors.js';
import { RUN_CAPS, type ModelContext } from './scenarioPages.js';

export interface FreshRun {
  key: string;
  run: CheckRun;
  previous: { verdict: string; observed: string; exhaustive: boolean; modelVersion: string };
  sameVerdict: boolean;
  /** The stored run's bounds were above what the web UI allows, so the re-run explored less. */
  capped: boolean;
}

export interface ClaimCheckData {
  modelVersion: string;
  claim: ClaimView;
  runs: CheckRunView[];
  fresh: FreshRun[] | null;
  caps: typeof RUN_CAPS;
  rerunsLeft: number;
}

/** Claim ids are `msgid#sentence`; check names never hold a `#`. */
export function isClaimId(raw: unknown): boolean {
  return typeof raw === 'string' && /#\d+$/.test(raw);
}

/** Runs re-made per request at most (a claim is linked to a few checks, each a few cases). */
const MAX_RERUNS = 8;

function claimIdParam(raw: unknown): string {
  if (typeof raw !== 'string' || !/^.{1,1000}#\d{1,6}$/s.test(raw)) throw badRequest('a claim id is a Message-ID, #, and the sentence number');
  return raw;
}

/** The stored run as analysis/checks produced it (the store keeps it as opaque JSON). */
export function storedRun(v: CheckRunView): CheckRun {
  return v.run as CheckRun;
}

async function claimAndRuns(store: GraphStore, req: Request): Promise<{ claim: ClaimView; runs: CheckRunView[] }> {
  const id = claimIdParam(req.params.name);
  const claim = await store.claims.claim(id);
  if (!claim) throw notFound(`no claim '${id}' in this archive`);
  return { claim, runs: await store.claims.checkRuns(id) };
}

export async function loadClaimCheck(store: GraphStore, models: ModelContext, req: Request): Promise<ClaimCheckData> {
  const { claim, runs } = await claimAndRuns(store, req);
  return { modelVersion: MODEL_VERSION, claim, runs, fresh: null, caps: RUN_CAPS, rerunsLeft: models.rerunLimit.remaining() };
}

export async function rerunClaimCheck(store: GraphStore, models: ModelContext, req: Request): Promise<ClaimCheckData> {
  const { claim, runs } = await claimAndRuns(store, req);
  if (runs.length === 0) throw badRequest(`claim '${claim.id}' has no stored runs to re-run (${claim.why})`);
  models.rerunLimit.take('re-runs');
  const seen = new Set<string>();
  const planned: { key: string; old: CheckRun; capped: boolean; input: CheckRun }[] = [];
  for (const v of runs) {
    if (seen.has(v.key) || planned.length >= MAX_RERUNS) continue;
    seen.add(v.key);
    const old = storedRun(v);
    const bounds = {
      maxExecutions: Math.min(old.bounds.maxExecutions, RUN_CAPS.maxExecutions),
      maxSteps: Math.min(old.bounds.maxSteps, RUN_CAPS.maxSteps),
    };
    const capped = bounds.maxExecutions !== old.bounds.maxExecutions || bounds.maxSteps !== old.bounds.maxSteps;
    planned.push({ key: v.key, old, capped, input: { ...old, bounds } });
  }
  const made = await models.runner.rerunChecks(planned.map((p) => p.input));
  const fresh: FreshRun[] = planned.map((p, i) => ({
    key: p.key,
    run: made[i],
    previous: { verdict: p.old.verdict, observed: p.old.observed, exhaustive: p.old.exhaustive, modelVersion: p.old.modelVersion },
    sameVerdict: made[i].verdict === p.old.verdict,
    capped: p.capped,
  }));
  return { modelVersion: MODEL_VERSION, claim, runs, fresh, caps: RUN_CAPS, rerunsLeft: models.rerunLimit.remaining() };
}
