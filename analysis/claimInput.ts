// What the claim extractor reads of a stored message: its own text and quoted blocks from the
// segmentation of its body, and what a quoted block says about where its words came from: whether
// it is a quoted diff, and who the attribution line names.
import { inputFromSegments, type ExtractInput } from './claims/index.js';
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

interface QuoteSpan extends QuoteOrigin {
  start: number;
  end: number;
}

function view(input: ExtractInput, spans: QuoteSpan[]): ClaimInputView {
  return { input, quoteAt: (line) => spans.find((s) => s.start <= line && line <= s.end) ?? null };
}

/** The extractor's input from segmenting the body here (`knownQuotes`: bodies it may quote without markers). */
export function inputFromBody(msgid: string, body: string, knownQuotes: string[] | undefined): ClaimInputView {
  const lines = splitLines(body);
  const segments: Segment[] = segmentBody(body, { knownQuotes, lines });
  const spans: QuoteSpan[] = segments
    .filter((s) => s.kind === 'quote' || s.kind === 'quoted-diff')
    .map((s) => ({ start: s.startLine, end: s.endLine, diff: s.kind === 'quoted-diff', author: s.attribution?.name ?? s.attribution?.email ?? null }));
  return view(inputFromSegments(msgid, lines, segments), spans);
}
