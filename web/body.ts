// A mail body cut into the blocks the message view draws, from the segmenter (ingest/segment):
// own text (with attribution lines, trailers, diffstat, signature and list footer told apart),
// quoted runs (collapsible, with their depth; also quotes whose `>` markers a text dump lost, when
// the messages it replies to are given) and diffs, inline or quoted, line by line, classed for colour.
import { quoteInfo, segmentBody, splitLines, type FileDiff, type Segment } from '../ingest/segment/index.js';

export type TextRole = 'text' | 'attribution' | 'trailers' | 'diffstat' | 'signature' | 'footer';

export interface TextBlock {
  kind: 'text';
  role: TextRole;
  text: string;
}

export type DiffLineClass = 'file' | 'hunk' | 'add' | 'del' | 'ctx' | 'meta';

export interface QuoteLine {
  /** Quote level of this line (0 for a blank line inside the run). */
  depth: number;
  text: string;
  /** In a quoted diff: the class of the diff line under the markers. */
  cls: DiffLineClass | null;
}

export interface QuoteBlock {
  kind: 'quote';
  /** Deepest quote level in the run (1 for `>`, 2 for `>>` …). */
  depth: number;
  lines: QuoteLine[];
  lineCount: number;
  /** First non-empty quoted line, without its markers, for the collapsed summary. */
  preview: string;
  /** Short quotes (and short quoted hunks, the context of review comments) are shown open. */
  open: boolean;
  /** True for a quoted piece of a patch. */
  diff: boolean;
  /** True when the source lost the `>` markers and the text was recognised from an earlier message. */
  markersLost: boolean;
  /** Who was quoted, from the attribution line above the quote, when there is one. */
  attribution: string | null;
}

export interface DiffBlock {
  kind: 'diff';
  lines: { cls: DiffLineClass; text: string }[];
}

export type BodyBlock = TextBlock | QuoteBlock | DiffBlock;

/** Quotes of at most this many lines are shown open; quoted hunks up to the second figure. */
const OPEN_QUOTE_LINES = 3;
const OPEN_QUOTED_DIFF_LINES = 15;

/** Class of each line of the given file diffs, by 0-based body line. */
function diffClasses(diffs: FileDiff[] | undefined): Map<number, DiffLineClass> {
  const classes = new Map<number, DiffLineClass>();
  for (const file of diffs ?? []) {
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

/** A quoted diff line's class from its text under the markers (for hunks the parser did not take). */
function quotedDiffClass(content: string): DiffLineClass {
  if (content.startsWith('@@')) return 'hunk';
  if (/^(diff --git|index [0-9a-f]|--- |\+\+\+ )/.test(content)) return 'file';
  if (content.startsWith('+')) return 'add';
  if (content.startsWith('-')) return 'del';
  return 'ctx';
}

function textRole(kind: Segment['kind']): TextRole {
  switch (kind) {
    case 'attribution':
    case 'trailers':
    case 'diffstat':
    case 'signature':
    case 'footer':
      return kind;
    default:
      return 'text';
  }
}

function isQuote(seg: Segment): boolean {
  return seg.kind === 'quote' || seg.kind === 'quoted-diff';
}

/** One collapsible block for a run of adjacent quote segments (the segmenter splits them by depth). */
function quoteBlock(run: Segment[], lines: string[], segments: Segment[]): QuoteBlock {
  const out: QuoteLine[] = [];
  for (const seg of run) {
    const isDiff = seg.kind === 'quoted-diff';
    const classes = isDiff ? diffClasses(seg.diffs) : new Map<number, DiffLineClass>();
    for (let i = seg.startLine; i <= seg.endLine; i++) {
      const info = quoteInfo(lines[i]);
      const depth = info.depth > 0 ? info.depth : lines[i].trim() === '' ? 0 : seg.depth;
      out.push({ depth, text: lines[i], cls: isDiff ? (classes.get(i) ?? quotedDiffClass(info.content)) : null });
    }
  }
  const diff = run.some((seg) => seg.kind === 'quoted-diff');
  const first = out.find((l) => quoteInfo(l.text).content.trim() !== '');
  let attribution = null;
  for (const seg of run) {
    const a = seg.attribution ?? (seg.attributionSegment !== undefined ? segments[seg.attributionSegment]?.attribution : undefined);
    if (a) {
      attribution = a.name ?? a.email ?? null;
      break;
    }
  }
  return {
    kind: 'quote',
    depth: Math.max(...run.map((seg) => seg.depth), ...out.map((l) => l.depth)),
    lines: out,
    lineCount: out.length,
    preview: first ? quoteInfo(first.text).content.trim().slice(0, 100) : '',
    open: out.length <= (diff ? OPEN_QUOTED_DIFF_LINES : OPEN_QUOTE_LINES),
    diff,
    markersLost: run.some((seg) => seg.markersLost === true),
    attribution,
  };
}

/**
 * The blocks of `body`. `earlier` are the bodies of messages it may quote (its ancestors in the
 * thread): lines found there are shown as quotes even when a dump lost their `>` markers.
 */
export function bodyBlocks(body: string, earlier: string[] = []): BodyBlock[] {
  const lines = splitLines(body);
  const segments = segmentBody(body, earlier.length ? { knownQuotes: earlier } : {});
  const blocks: BodyBlock[] = [];
  for (let k = 0; k < segments.length; k++) {
    const seg = segments[k];
    if (isQuote(seg)) {
      const run = [seg];
      while (k + 1 < segments.length && isQuote(segments[k + 1])) run.push(segments[++k]);
      const block = quoteBlock(run, lines, segments);
      // A run of bare `>` lines quotes nothing worth a fold: it stays in the text.
      if (block.preview !== '') {
        blocks.push(block);
        continue;
      }
      const text = block.lines.map((l) => l.text).join('\n');
      const prev = blocks[blocks.length - 1];
      if (prev?.kind === 'text' && prev.role === 'text') prev.text += '\n' + text;
      else blocks.push({ kind: 'text', role: 'text', text });
      continue;
    }
    if (seg.kind === 'diff') {
      const classes = diffClasses(seg.diffs);
      const out: DiffBlock['lines'] = [];
      for (let i = seg.startLine; i <= seg.endLine; i++) out.push({ cls: classes.get(i) ?? 'ctx', text: lines[i] });
      blocks.push({ kind: 'diff', lines: out });
      continue;
    }
    const text = lines.slice(seg.startLine, seg.endLine + 1).join('\n');
    const prev = blocks[blocks.length - 1];
    // Adjacent plain text stays one block; a trailing blank run is dropped.
    if (seg.kind === 'text' && prev?.kind === 'text' && prev.role === 'text') prev.text += '\n' + text;
    else blocks.push({ kind: 'text', role: textRole(seg.kind), text });
  }
  const last = blocks[blocks.length - 1];
  if (last?.kind === 'text') {
    last.text = last.text.replace(/\s+$/, '');
    if (last.text === '') blocks.pop();
  }
  return blocks;
}
