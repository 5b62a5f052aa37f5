// The symbol page: every claim about a kernel symbol across threads and years (who said what, who
// disagreed), the hunks that touched it with the replies on them, and the checks with their
// verdicts. The page for tracing a design debate.
import type { Request } from 'express';
import type { GraphStore } from '../graph/store.js';
import { symbolName, type ClaimView, type SymbolSummary } from '../graph/claims.js';
import type { HunkView } from '../graph/patches.js';
import { badRequest, notFound } from './errors.js';
import { intParam, stringParam } from './params.js';

export interface SymbolCheckSummary {
  check: string;
  claims: number;
  verdicts: Record<string, number>;
}

export interface SymbolData {
  name: string;
  kinds: string[];
  claims: ClaimView[];
  /** Hunks whose header names the symbol as the function they are in. */
  hunks: HunkView[];
  checks: SymbolCheckSummary[];
  threads: number;
  people: string[];
}

export interface SymbolListData {
  q: string | null;
  symbols: SymbolSummary[];
  total: number;
  limit: number;
}

/** A C identifier, a struct member path (`ms->usage`), or a CONFIG_/zone name; `()` tolerated. */
const SYMBOL = /^[A-Za-z_][A-Za-z0-9_]*(?:(?:->|\.)[A-Za-z_][A-Za-z0-9_]*)*$/;
/** Hunks shown per symbol: a function touched in hundreds of patches is summarised, not listed whole. */
const MAX_HUNKS = 100;

export function symbolParam(raw: unknown): string {
  if (typeof raw !== 'string') throw badRequest('a symbol name is required');
  const name = symbolName(raw);
  if (name === '' || name.length > 200 || !SYMBOL.test(name)) {
    throw badRequest(`'${name.slice(0, 80)}' is not a symbol name (a C identifier such as pfn_valid, or ms->usage)`);
  }
  return name;
}

export async function loadSymbol(store: GraphStore, req: Request): Promise<SymbolData> {
  const name = symbolParam(req.params.name);
  const [view, hunks] = await Promise.all([store.claims.symbol(name), store.patches.hunks({ function: name })]);
  if (!view && hunks.length === 0) throw notFound(`no claim is about '${name}' and no hunk touches it in this archive`);
  const claims = view?.claims ?? [];
  const checks = new Map<string, SymbolCheckSummary>();
  for (const c of claims) {
    for (const l of c.links) {
      const e = checks.get(l.check) ?? { check: l.check, claims: 0, verdicts: {} };
      e.claims++;
      checks.set(l.check, e);
    }
    for (const k of c.checks) {
      const e = checks.get(k.name) ?? { check: k.name, claims: 0, verdicts: {} };
      if (k.role === 'under-review') e.verdicts[k.verdict] = (e.verdicts[k.verdict] ?? 0) + 1;
      checks.set(k.name, e);
    }
  }
  return {
    name: view?.name ?? name,
    kinds: view?.kinds ?? ['function'],
    claims,
    hunks: hunks.slice(0, MAX_HUNKS),
    checks: [...checks.values()],
    threads: new Set(claims.map((c) => c.thread ?? c.msgid)).size,
    people: [...new Set(claims.map((c) => c.author))],
  };
}

export async function loadSymbolList(store: GraphStore, req: Request): Promise<SymbolListData> {
  const q = stringParam(req.query, 'q', 200) ?? null;
  const limit = intParam(req.query, 'limit', { min: 1, max: 1000, fallback: 200 });
  const all = await store.claims.symbols();
  const matching = q ? all.filter((s) => s.name.toLowerCase().includes(q.toLowerCase())) : all;
  return { q, symbols: matching.slice(0, limit), total: matching.length, limit };
}
