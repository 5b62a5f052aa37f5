// From messages to verdicts: extract every message's claims (with the thread's earlier messages as
// known quotes), read each in its thread, link it to checks and run them. What the CLI
// (`loregraph claims`, `check CLAIM_ID | --all`) and the graph loader call.
import { extractClaims, inputFromMessageBody, loadClassifier, type Claim } from '../claims/index.js';
import type { Message } from '../../ingest/model.js';
import { MARKERS_MAY_BE_LOST } from '../../ingest/derive/message.js';
import { claimContext, threadContexts } from './context.js';
import { linkClaim } from './link.js';
import { verdictFor } from './run.js';
import type { ClaimContext, ClaimVerdict, LinkResult } from './types.js';

export interface ReviewOptions {
  /** Also extract claims from quoted text (a reviewer's words that survive only quoted in a reply). */
  includeQuoted?: boolean;
}

/**
 * Bodies a message may quote without markers: its ancestors (In-Reply-To, References, or the parent
 * inferred for a header-less dump); without any, the thread's messages dated strictly before it.
 * Same-day siblings are left out: a later reply quoting this message would make its own text look quoted.
 */
function quotable(m: Message, byId: ReadonlyMap<string, Message>, messages: readonly Message[], thread: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>([m.msgid]);
  let parent = m.inReplyTo ?? m.inferredParent?.parent ?? m.references.at(-1) ?? null;
  while (parent && !seen.has(parent)) {
    seen.add(parent);
    const p = byId.get(parent);
    if (!p) break;
    out.push(p.body);
    parent = p.inReplyTo ?? p.inferredParent?.parent ?? p.references.at(-1) ?? null;
  }
  for (const ref of m.references) {
    const p = byId.get(ref);
    if (p && !seen.has(ref)) {
      seen.add(ref);
      out.push(p.body);
    }
  }
  if (out.length > 0) return out;
  return messages.filter((o) => o !== m && thread.includes(o.msgid) && o.date !== null && m.date !== null && o.date < m.date).map((o) => o.body);
}

/** Every claim of every message, each with its message and thread context. */
export function claimContexts(messages: readonly Message[], opts: ReviewOptions = {}): ClaimContext[] {
  const threads = threadContexts(messages);
  const classifier = loadClassifier();
  const byId = new Map(messages.map((m) => [m.msgid, m]));
  const out: ClaimContext[] = [];
  for (const m of messages) {
    const thread = threads.get(m.msgid);
    if (!thread) continue;
    // As the store's claims stage does: only a web-archive dump may have lost its quote markers
    // (a patch re-posted as v3 repeats v2's commit message; that text is its own, not a quote).
    const earlier = MARKERS_MAY_BE_LOST.has(m.provenance.format) ? quotable(m, byId, messages, thread.msgids) : [];
    const claims: Claim[] = extractClaims(inputFromMessageBody(m.msgid, m.body, { knownQuotes: earlier }), { includeQuoted: opts.includeQuoted, classifier });
    for (const c of claims) out.push(claimContext(c, m, thread));
  }
  return out;
}

export interface ReviewedClaim {
  context: ClaimContext;
  link: LinkResult;
  verdict: ClaimVerdict;
}

/** Link and run one claim. */
export function checkClaim(ctx: ClaimContext): ReviewedClaim {
  const link = linkClaim(ctx);
  return { context: ctx, link, verdict: verdictFor(ctx, link) };
}

/** Link and run every claim of a set of messages. */
export function reviewMessages(messages: readonly Message[], opts: ReviewOptions = {}): ReviewedClaim[] {
  return claimContexts(messages, opts).map(checkClaim);
}
