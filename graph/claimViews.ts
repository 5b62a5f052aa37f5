// Small pieces both claim stores share, so the two answer the same way: which entities are
// symbols, who a claim is attributed to, the order of a claim's checks.
import type { Entity } from '../analysis/claims/types.js';
import type { ClaimCheckView, ClaimRecord } from './claims.js';

/** Entity kinds that become Symbol nodes: named kernel things, not numbers. */
const SYMBOL_KINDS: ReadonlySet<string> = new Set(['function', 'flag', 'lock', 'config', 'struct', 'field', 'file', 'zone', 'macro']);

export function isSymbolEntity(e: Entity): boolean {
  return SYMBOL_KINDS.has(e.kind);
}

/** Who made the claim: the sender, or for a quoted claim the quoted author (said plainly when unknown). */
export function claimAuthor(c: Pick<ClaimRecord, 'origin' | 'quotedAuthor'>, sender: string): string {
  if (c.origin === 'own') return sender;
  return c.quotedAuthor ?? `unknown (quoted by ${sender})`;
}

/** The code under review first, then counterfactuals; by check and variant label within each. */
export function sortChecks(checks: ClaimCheckView[]): ClaimCheckView[] {
  const rank = (role: string): number => (role === 'under-review' ? 0 : 1);
  return [...checks].sort(
    (a, b) => rank(a.role) - rank(b.role) || a.name.localeCompare(b.name) || a.variant.localeCompare(b.variant),
  );
}
