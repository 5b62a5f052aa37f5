// Builds the extractor's input from a plain message body: quote markers (`>`), unmarked quotes
// known from elsewhere, attribution lines, signatures, list footers, trailers and own diffs.
// This is the fallback used when no segmentation of the body is at hand.
import type { ExtractInput, QuotedBlock } from './types.js';

const ATTRIBUTION = /(?:\bwrote|\bwrites|\bschrieb|\ba écrit)\s*:\s*$/;
/** First half of an attribution wrapped over two lines: `On Thu, Mar 04, 2021 at 09:12:31AM +0100, X` / `wrote:`. */
const ATTRIBUTION_HEAD = /^On\b.*\d/;
const OWN_DIFF_START = /^(?:diff --git |Index: |--- a\/|\+\+\+ b\/|---\s*$|@@ -\d)/;
const SIGNATURE = /^--\s?$/;
const FOOTER = /^_{20,}\s*$/;
/** Trailers that carry no review statement of their own; Acked-by / Reviewed-by / Tested-by do. */
const PLAIN_TRAILER = /^(?:Signed-off-by|Cc|Link|Fixes|Reported-by|Suggested-by|Co-developed-by|Message-Id|Closes|Bisected-by|CC):\s/i;

export interface BodyViewOptions {
  /** Body lines that are quotes without a `>` marker (see corpus/archivePages.ts). */
  unmarkedQuotes?: ReadonlySet<number>;
  knownIdentifiers?: Set<string>;
}

function quoteDepth(line: string): number {
  const m = /^\s?((?:>\s?)+)/.exec(line);
  return m ? (m[1].match(/>/g) ?? []).length : 0;
}

/** Identifiers named in the hunk headers and changed lines of every diff in the body, quoted or not. */
export function identifiersFromDiffs(lines: readonly string[]): Set<string> {
  const ids = new Set<string>();
  for (const raw of lines) {
    const line = raw.replace(/^(?:>\s?)+/, '');
    const hunk = /^@@ [^@]* @@\s*(.*)$/.exec(line);
    const code = hunk ? hunk[1] : /^[+-](?![+-]{2})/.test(line) ? line.slice(1) : null;
    if (code === null) continue;
    for (const m of code.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) {
      if (m[1].length > 3 && /_/.test(m[1])) ids.add(m[1]);
    }
  }
  return ids;
}

export function inputFromBody(msgid: string, lines: string[], opts: BodyViewOptions = {}): ExtractInput {
  const own: Array<[number, number]> = [];
  const quoted: QuotedBlock[] = [];
  let ownStart = -1;
  let block: { start: number; end: number; depth: number; text: string[] } | null = null;
  const closeOwn = (end: number): void => {
    if (ownStart >= 0 && end >= ownStart) own.push([ownStart, end]);
    ownStart = -1;
  };
  const closeBlock = (): void => {
    if (block) quoted.push({ start: block.start, end: block.end, depth: block.depth, text: block.text.join('\n') });
    block = null;
  };
  let stopped = false;
  for (let i = 0; i < lines.length && !stopped; i++) {
    const line = lines[i];
    const depth = quoteDepth(line) || (opts.unmarkedQuotes?.has(i) ? 1 : 0);
    if (depth > 0) {
      closeOwn(i - 1);
      const text = line.replace(/^\s?(?:>\s?)*/, '');
      // A bare `>` line continues the block it sits in; a change of depth starts a new block.
      if (block && (block.depth === depth || text.trim() === '')) {
        block.end = i;
        block.text.push(text);
      } else {
        closeBlock();
        block = { start: i, end: i, depth, text: [text] };
      }
      continue;
    }
    const trimmed = line.trim();
    if (trimmed === '') {
      // Blank lines neither open own text nor close a quote block.
      continue;
    }
    if (SIGNATURE.test(line) || FOOTER.test(line) || OWN_DIFF_START.test(line)) {
      closeOwn(i - 1);
      stopped = true;
      break;
    }
    const wrapped = ATTRIBUTION_HEAD.test(trimmed) && ATTRIBUTION.test((lines[i + 1] ?? '').trim());
    if (ATTRIBUTION.test(trimmed) || wrapped || PLAIN_TRAILER.test(trimmed)) {
      closeOwn(i - 1);
      continue;
    }
    closeBlock();
    if (ownStart < 0) ownStart = i;
  }
  if (!stopped) closeOwn(lines.length - 1);
  closeBlock();
  const input: ExtractInput = { msgid, lines, ownRanges: own.map(([s, e]) => trimRange(lines, s, e)), quoted };
  const known = opts.knownIdentifiers ?? identifiersFromDiffs(lines);
  if (known.size > 0) input.knownIdentifiers = known;
  return input;
}

function trimRange(lines: readonly string[], s: number, e: number): [number, number] {
  let end = e;
  while (end > s && lines[end].trim() === '') end--;
  return [s, end];
}
