// Lookups the check tests share: a reviewed claim, one of its checks, one variant's runs. Each
// fails the test with what was there instead.
import assert from 'node:assert/strict';
import type { ReviewedClaim } from '../analysis/checks/pipeline.js';
import type { CheckVerdict, VariantVerdict } from '../analysis/checks/types.js';

/** The first reviewed claim `where` picks; `what` names it when none does. */
export function claimWhere(all: readonly ReviewedClaim[], where: (r: ReviewedClaim) => boolean, what: string): ReviewedClaim {
  const hit = all.find(where);
  assert.ok(hit, `claim not extracted: ${what}`);
  return hit;
}

export function check(r: ReviewedClaim, name: string): CheckVerdict {
  const c = r.verdict.checks.find((x) => x.check === name);
  assert.ok(c, `${name} not linked; links: ${r.verdict.checks.map((x) => x.check).join(', ') || r.verdict.why}`);
  return c;
}

export function variant(c: CheckVerdict, variants: string[]): VariantVerdict {
  const v = c.variants.find((x) => x.variants.join('+') === variants.join('+'));
  assert.ok(v, `no run on [${variants.join('+')}]; ran: ${c.variants.map((x) => `[${x.variants.join('+')}]`).join(' ')}`);
  return v;
}
