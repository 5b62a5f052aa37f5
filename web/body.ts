// A mail body cut into the blocks the message view draws: own text, quoted runs (collapsible,
// with their depth) and diffs (line by line, classed for colour). Diffs are found with the
// segmenter's diff parser; quotes are runs of `>`-prefixed lines. When full segmentation
// (ingest/segment segmentBody) lands, it replaces `bodyBlocks` and the templates stay as they are.
import { parseDiff, splitLines } from '../ingest/segment/index.js';

export interface TextBlock {
  kind: 'text';
  text: string;
}

export interface QuoteLine {
  depth: number;
  text: string;
}

export interface QuoteBlock {
  kind: 'quote';
  /** Deepest quote level in the run (1 for `>`, 2 for `>>` …). */
  depth: number;
  lines: QuoteLine[];
  lineCount: number;
  /** First non-empty quoted line, without its markers, for the collapsed summary. */
  preview: string;
  /** Short quotes are shown open; long ones start collapsed. */
  open: boolean;
  /** The message the quote was taken from, once segmentation can tell; null until then. */
  quotedMsgid: string | null;
}

export type DiffLineClass = 'file' | 'hunk' | 'add' | 'del' | 'ctx' | 'meta';

export interface DiffBlock {
  kind: 'diff';
  lines: { cls: DiffLineClass; text: string }[];
}

export type BodyBlock = TextBlock | QuoteBlock | DiffBlock;

const QUOTE_PREFIX = /^(?:> ?)+/;
/** Quotes of at most this many lines are shown open. */
const OPEN_QUOTE_LINES = 3;

function quoteDepth(line: string): number {
  const m = QUOTE_PREFIX.exec(line);
  return m ? (m[0].match(/>/g) ?? []).length : 0;
}

/** Class of each line that belongs to a diff, by 0-based line index. */
function diffLineClasses(text: string): Map<number, DiffLineClass> {
  const classes = new Map<number, DiffLineClass>();
  for (const file of parseDiff(text)) {
    for (let i = file.startLine; i <= file.endLine; i++) classes.set(i, 'file');
    for (const hunk of file.hunks) {
      classes.set(hunk.startLine, 'hunk');
      for (const l of hunk.lines) {
        classes.set(l.line, l.kind === 'add' ? 'add' : l.kind === 'del' ? 'del' : l.kind === 'meta' ? 'meta' : 'ctx');
      }
    }
  }
  return classes;
}

export function bodyBlocks(body: string): BodyBlock[] {
  const lines = splitLines(body);
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  const diff = diffLineClasses(lines.join('\n'));
  const blocks: BodyBlock[] = [];
  let text: string[] = [];
  const flushText = (): void => {
    if (text.length) blocks.push({ kind: 'text', text: text.join('\n') });
    text = [];
  };

  let i = 0;
  while (i < lines.length) {
    const cls = diff.get(i);
    if (cls !== undefined) {
      flushText();
      const block: DiffBlock = { kind: 'diff', lines: [] };
      while (i < lines.length && diff.has(i)) block.lines.push({ cls: diff.get(i)!, text: lines[i++] });
      blocks.push(block);
      continue;
    }
    if (quoteDepth(lines[i]) > 0) {
      flushText();
      const quoted: QuoteLine[] = [];
      while (i < lines.length && !diff.has(i)) {
        const d = quoteDepth(lines[i]);
        if (d > 0) {
          quoted.push({ depth: d, text: lines[i++] });
          continue;
        }
        // A blank line between two quoted lines stays inside the quote.
        let j = i;
        while (j < lines.length && lines[j].trim() === '' && !diff.has(j)) j++;
        if (j > i && j < lines.length && !diff.has(j) && quoteDepth(lines[j]) > 0) {
          for (; i < j; i++) quoted.push({ depth: 0, text: lines[i] });
          continue;
        }
        break;
      }
      const first = quoted.find((q) => q.depth > 0 && q.text.replace(QUOTE_PREFIX, '').trim() !== '');
      const preview = (first?.text.replace(QUOTE_PREFIX, '').trim() ?? '').slice(0, 100);
      blocks.push({
        kind: 'quote',
        depth: Math.max(...quoted.map((q) => q.depth)),
        lines: quoted,
        lineCount: quoted.length,
        preview,
        open: quoted.length <= OPEN_QUOTE_LINES,
        quotedMsgid: null,
      });
      continue;
    }
    text.push(lines[i++]);
  }
  flushText();
  return blocks;
}
