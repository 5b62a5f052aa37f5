// The per-message work of the claims stage as one pure request -> result function, so it runs in
// worker threads (ingest/workers/taskPool.ts) as well as on the calling thread: segment the body,
// extract its claims, and tell where each quoted claim came from.
//
// Quoted text is read only where some quoted block is found in no stored ancestor, which the
// caller decides from `quotedTexts` (round one, own text only); it then asks again with
// `includeQuoted` (round two). Own claims are the same in both rounds: quoted sentences are
// numbered after the own ones and never open a reply an own sentence opens.
import type { Claim } from './claims/index.js';
import { extractClaims, loadClassifier } from './claims/index.js';
import { inputFromBody, type QuoteOrigin } from './claimInput.js';

export interface ClaimTask {
  msgid: string;
  body: string;
  /** Bodies it may quote without markers (web-archive dumps only). */
  known?: string[];
  includeQuoted: boolean;
}

export interface ClaimTaskResult {
  claims: Claim[];
  /** For each claim: the quoted segment it was read from (null for own text). */
  origins: (QuoteOrigin | null)[];
  /** Each quoted block's text as normalText() gives it. */
  quotedTexts: string[];
}

/** Text compared without case, quote markers or whitespace differences. */
export function normalText(s: string): string {
  return s
    .split('\n')
    .map((l) => l.replace(/^\s?(?:>\s?)*/, ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

export function handle(t: ClaimTask): ClaimTaskResult {
  const view = inputFromBody(t.msgid, t.body, t.known);
  const claims = extractClaims(view.input, { includeQuoted: t.includeQuoted, classifier: loadClassifier() });
  return {
    claims,
    origins: claims.map((c) => (c.origin === 'own' ? null : view.quoteAt(c.lines.start))),
    quotedTexts: view.input.quoted.map((b) => normalText(b.text)),
  };
}
