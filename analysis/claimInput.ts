// What the claim extractor reads of a stored message: its own text and quoted blocks, from the
// segmentation the derive stage stored (store.patches.messageSegments — segmenting again would
// cost the claims stage a second pass over every body), or from segmenting the body when the
// message has not been derived. Also what a quoted block says about where its words came from:
// whether it is a quoted diff, and who the attribution line names.
import type { MessageDerivation } from '../graph/patches.js';
import { identifiersFromDiffs, inputFromSegments, type ExtractInput, type QuotedBlock } from './claims/index.js';
import { segmentBody, splitLines, type Segment } from '../ingest/segment/index.js';

export interface QuoteOrigin {
  diff: boolean;
  author: string | null;
}

export interface ClaimInputView {
  input: ExtractInput;
  /** The quoted segment a line belongs to (null for a line of own text). */
  quoteAt(line: number): QuoteOrigin | null;
}

const QUOTE_MARKERS = /^\s?(?:>\s?)*/;

interface QuoteSpan extends QuoteOrigin {
  start: number;
  end: number;
}

function view(input: ExtractInput, spans: QuoteSpan[]): ClaimInputView {
  return { input, quoteAt: (line) => spans.find((s) => s.start <= line && line <= s.end) ?? null };
}

/** The extractor's input from the segments and hunks the derive stage stored for the message. */
export function inputFromDerivation(msgid: string, body: string, d: MessageDerivation): ClaimInputView {
  const lines = splitLines(body);
  const ownRanges: Array<[number, number]> = [];
  const quoted: QuotedBlock[] = [];
  const spans: QuoteSpan[] = [];
  for (const seg of d.segments) {
    if ((seg.kind === 'text' || seg.kind === 'trailers') && seg.depth === 0) ownRanges.push([seg.startLine, seg.endLine]);
    if (seg.kind === 'quote' || seg.kind === 'quoted-diff') {
      const text = lines
        .slice(seg.startLine, seg.endLine + 1)
        .map((l) => l.replace(QUOTE_MARKERS, ''))
        .join('\n');
      quoted.push({ start: seg.startLine, end: seg.endLine, depth: Math.max(1, seg.depth), text });
      spans.push({ start: seg.startLine, end: seg.endLine, diff: seg.kind === 'quoted-diff', author: seg.attribution?.name ?? seg.attribution?.email ?? null });
    }
  }
  const known = identifiersFromDiffs(lines);
  for (const h of d.hunks) if (h.functionName) known.add(h.functionName);
  const input: ExtractInput = { msgid, lines, ownRanges, quoted };
  if (known.size > 0) input.knownIdentifiers = known;
  return view(input, spans);
}

/** The extractor's input from segmenting the body here (`knownQuotes`: bodies it may quote without markers). */
export function inputFromBody(msgid: string, body: string, knownQuotes: string[] | undefined): ClaimInputView {
  const segments: Segment[] = segmentBody(body, knownQuotes && knownQuotes.length ? { knownQuotes } : {});
  const spans: QuoteSpan[] = segments
    .filter((s) => s.kind === 'quote' || s.kind === 'quoted-diff')
    .map((s) => ({ start: s.startLine, end: s.endLine, diff: s.kind === 'quoted-diff', author: s.attribution?.name ?? s.attribution?.email ?? null }));
  return view(inputFromSegments(msgid, splitLines(body), segments), spans);
}
