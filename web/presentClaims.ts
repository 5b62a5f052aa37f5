// Claims as the templates draw them, wherever they appear (thread, symbol, person, check pages):
// kind and verdict badges, stance, the symbols named (linked), and the link to the claim's checks.
import type { ClaimView } from '../graph/claims.js';
import { shownConcern } from '../analysis/claims/index.js';
import { encodeMsgid, messageUrl, personUrl, symbolUrl, threadUrl } from './urls.js';

const LINKABLE = new Set(['function', 'flag', 'lock', 'config', 'struct', 'field', 'zone', 'macro']);

export function claimUrl(id: string): string {
  return `/check/${encodeMsgid(id)}`;
}

export interface ClaimBadgeView {
  id: string;
  url: string;
  text: string;
  kind: string;
  verdict: string;
  checked: boolean;
  why: string;
  stance: string;
  status: string | null;
  author: string;
  authorUrl: string;
  date: string | null;
  messageUrl: string;
  threadUrl: string | null;
  origin: string;
  symbols: { name: string; url: string }[];
  /** For a concern or NAK: whether it is at the classifier's high-precision bar (shownConcern). */
  sure: boolean;
  confidence: number;
}

export function presentClaim(c: ClaimView): ClaimBadgeView {
  const seen = new Set<string>();
  const symbols: { name: string; url: string }[] = [];
  for (const e of c.entities) {
    if (!LINKABLE.has(e.kind) || seen.has(e.name)) continue;
    seen.add(e.name);
    symbols.push({ name: e.name, url: symbolUrl(e.name) });
  }
  return {
    id: c.id,
    url: claimUrl(c.id),
    text: c.text,
    kind: c.kind,
    verdict: c.verdict,
    checked: c.verdict !== 'unchecked',
    why: c.why,
    stance: c.stance,
    status: c.status,
    author: c.author,
    authorUrl: personUrl(c.author),
    date: c.date,
    messageUrl: messageUrl(c.msgid),
    threadUrl: c.thread ? `${threadUrl(c.thread)}` : null,
    origin: c.origin,
    symbols,
    sure: shownConcern(c),
    confidence: c.confidence,
  };
}
