// A series at a glance, for `loregraph summary SERIES` and the series web page: per patch, how many
// claims the model confirmed, refuted, could not decide or could not check, the b4 statuses, and
// the state of each review concern (from analysis/lifecycle).
import type { ConcernLifecycle, ConcernState } from '../lifecycle/index.js';
import { b4Checks, type PatchChecks } from './b4.js';
import type { ReviewedClaim } from './pipeline.js';
import type { Verdict } from './types.js';

export interface SeriesSummary {
  claims: number;
  verdicts: Record<Verdict, number>;
  concerns: Record<ConcernState, number>;
  patches: (PatchChecks & { fail: number; warn: number; pass: number })[];
  /** Confirmed claims first (what a maintainer must look at), with the check and the code they ran on. */
  confirmed: { claimId: string; text: string; checks: string[] }[];
}

export function summarize(reviewed: readonly ReviewedClaim[], lifecycles: readonly ConcernLifecycle[] = []): SeriesSummary {
  const verdicts: Record<Verdict, number> = { confirmed: 0, refuted: 0, inconclusive: 0, unchecked: 0 };
  for (const r of reviewed) verdicts[r.verdict.verdict]++;
  const concerns: Record<ConcernState, number> = { open: 0, answered: 0, acknowledged: 0, disputed: 0, addressed: 0 };
  for (const l of lifecycles) concerns[l.state]++;
  const patches = b4Checks(reviewed).map((p) => ({
    ...p,
    fail: p.checks.filter((c) => c.status === 'fail').length,
    warn: p.checks.filter((c) => c.status === 'warn').length,
    pass: p.checks.filter((c) => c.status === 'pass').length,
  }));
  const confirmed = reviewed
    .filter((r) => r.verdict.verdict === 'confirmed')
    .map((r) => ({ claimId: r.verdict.claimId, text: r.verdict.text, checks: r.verdict.checks.map((c) => c.check) }));
  return { claims: reviewed.length, verdicts, concerns, patches, confirmed };
}

/** A claim by id (`msgid#sentence`), for `loregraph check CLAIM_ID`. */
export function findReviewed(reviewed: readonly ReviewedClaim[], claimId: string): ReviewedClaim | undefined {
  return reviewed.find((r) => r.context.claim.id === claimId);
}
