// Builds the extractor's input from the body segmentation of ingest/segment: own text is the
// unquoted text and trailer segments, quoted blocks are the quote and quoted-diff segments, and
// the identifiers named by every diff's hunks (function names in `@@` headers, calls on changed
// lines) are passed on as known identifiers.
import { segmentBody, splitLines, type Segment, type SegmentOptions } from '../../ingest/segment/index.js';
import { identifiersFromDiffs } from './bodyView.js';
import type { ExtractInput, QuotedBlock } from './types.js';

const QUOTE_MARKERS = /^\s?(?:>\s?)*/;

export function inputFromSegments(msgid: string, lines: string[], segments: readonly Segment[]): ExtractInput {
  const ownRanges: Array<[number, number]> = [];
  const quoted: QuotedBlock[] = [];
  const known = identifiersFromDiffs(lines);
  for (const seg of segments) {
    if ((seg.kind === 'text' || seg.kind === 'trailers') && seg.depth === 0) ownRanges.push([seg.startLine, seg.endLine]);
    if (seg.kind === 'quote' || seg.kind === 'quoted-diff') {
      const text = lines
        .slice(seg.startLine, seg.endLine + 1)
        .map((l) => l.replace(QUOTE_MARKERS, ''))
        .join('\n');
      quoted.push({ start: seg.startLine, end: seg.endLine, depth: Math.max(1, seg.depth), text });
    }
    for (const d of seg.diffs ?? []) for (const h of d.hunks) if (h.functionName) known.add(h.functionName);
  }
  const input: ExtractInput = { msgid, lines, ownRanges, quoted };
  if (known.size > 0) input.knownIdentifiers = known;
  return input;
}

/** Segments a message body (see ingest/segment) and builds the extractor's input from it. */
export function inputFromMessageBody(msgid: string, body: string, opts: SegmentOptions = {}): ExtractInput {
  const lines = splitLines(body);
  return inputFromSegments(msgid, lines, segmentBody(body, { ...opts, lines }));
}
