// Rebuilding the lines of a mail body whose line breaks were replaced by spaces. Every quoted
// line began with its `>` run, so a `>` run after white space starts a line; the depth of that
// line is read from the run, splitting off the empty quoted line that a flattened `>\n> text`
// produced when the run is deeper than the context allows. Own text glued to the end of a
// quoted line is split off at the last sentence end within the line width.

const WIDTH = 80;
const MAX_RUN_TOKENS = 24;
/** A quote run: `>` markers, possibly spaced (`> >>`), after white space or at the start. */
const RUN = /(^|\s)(>(?:\s?>)*)(?=\s|$|[^\s>])/g;

export interface BodyLine {
  depth: number;
  text: string;
}

function tokensOf(run: string): number[] {
  return run
    .split(/\s+/)
    .filter((t) => t.length > 0)
    .map((t) => t.length);
}

interface RunOption {
  /** Depths of empty quoted lines the run also held (`>` + `> text` flattened to `> > text`). */
  empties: number[];
  depth: number;
  /** The empty part repeats the line's own prefix (`> >>` + `> >>`): the usual paragraph break. */
  repeats: boolean;
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/** Every way to read a run: one line of its whole depth, or empty quoted line(s) plus a line. */
function runOptions(tokens: number[]): RunOption[] {
  const out: RunOption[] = [{ empties: [], depth: sum(tokens), repeats: false }];
  // Runs longer than any real quote nesting are read as one line (and keep the search small).
  if (tokens.length > MAX_RUN_TOKENS) return out;
  for (let i = 1; i < tokens.length; i++) {
    const head = tokens.slice(0, i);
    const tail = tokens.slice(i);
    const d = sum(tail);
    let repeats = head.length % tail.length === 0;
    for (let k = 0; repeats && k < head.length; k++) if (head[k] !== tail[k % tail.length]) repeats = false;
    const empties = repeats ? new Array<number>(head.length / tail.length).fill(d) : [sum(head)];
    out.push({ empties, depth: d, repeats });
  }
  return out;
}

/** Last sentence end inside the line width after which an upper-case word starts own text. */
function sentenceSplit(text: string): number {
  let best = -1;
  const re = /[.?!:)](?=\s+[A-Z(])/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m.index + 1 > WIDTH - 2) break;
    best = m.index + 1;
  }
  return best;
}

/** Word-wrap own text to the usual mail width. */
export function wrap(text: string, width = 76): string[] {
  const out: string[] = [];
  let cur = '';
  for (const w of text.split(/\s+/).filter((x) => x.length > 0)) {
    if (cur && cur.length + 1 + w.length > width) {
      out.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) out.push(cur);
  return out;
}

interface Segment {
  run: number[] | null;
  text: string;
}

function segmentsOf(flat: string): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  let pendingRun: number[] | null = null;
  RUN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = RUN.exec(flat))) {
    const runStart = m.index + m[1].length;
    const text = flat.slice(last, runStart).trim();
    if (pendingRun !== null || text) segments.push({ run: pendingRun, text });
    pendingRun = tokensOf(m[2]);
    last = runStart + m[2].length;
    if (m[0].length === 0) RUN.lastIndex++;
  }
  segments.push({ run: pendingRun, text: flat.slice(last).trim() });
  return segments;
}

/** Where own text glued to a quoted line begins, or -1. */
function glueCut(text: string): number {
  if (text.length <= WIDTH || /wrote:\s*$/.test(text.slice(0, WIDTH))) return -1;
  const cut = sentenceSplit(text);
  return cut > 0 && text.length - cut > 20 ? cut : -1;
}

const SENTENCE_END = /[.?!:)\]]\s*$/;

/**
 * Choose how to read every run at once (a small Viterbi over depths): depth changes cost, more so
 * in mid-sentence; after `wrote:` one level deeper is expected; reading a run as an empty line plus
 * a line is cheap when both halves are equal (`> >` + `> >`) and the empty line sits at the
 * shallower of the two depths around it.
 */
function chooseDepths(segments: Segment[]): RunOption[] {
  const opts = segments.map((s): RunOption[] =>
    s.run === null ? [{ empties: [], depth: 0, repeats: false }] : s.text ? runOptions(s.run) : [{ empties: [], depth: sum(s.run), repeats: false }],
  );
  const ends = segments.map((s, i) => {
    const cut = s.run === null ? -1 : glueCut(s.text);
    const tail = cut > 0 ? s.text.slice(cut) : s.text;
    return { glued: cut > 0 || s.run === null, wrote: /wrote:\s*$/.test(tail), sentence: SENTENCE_END.test(tail) || i === 0 };
  });
  type Cell = { cost: number; from: number };
  const table: Cell[][] = [];
  for (let k = 0; k < segments.length; k++) {
    const row: Cell[] = [];
    for (const o of opts[k]) {
      if (k === 0) {
        row.push({ cost: o.depth, from: -1 });
        continue;
      }
      let best: Cell = { cost: Infinity, from: -1 };
      opts[k - 1].forEach((po, j) => {
        const prev = ends[k - 1];
        const p = prev.glued ? 0 : po.depth;
        let c = table[k - 1][j].cost;
        const want = p + 1;
        if (prev.wrote) c += o.depth === want ? 0 : o.depth < want ? 0.5 * (want - o.depth) : o.depth - want;
        else c += Math.abs(o.depth - p) * (prev.sentence ? 1 : 2);
        if (o.empties.length > 0) {
          // An empty quoted line: a paragraph break, unlikely in mid-sentence.
          if (!prev.sentence && !prev.wrote) c += 2;
          c += o.repeats ? -0.5 : 0.3;
          const e = o.empties[0];
          c += prev.wrote ? Math.abs(e - want) : Math.abs(e - Math.min(p, o.depth));
        }
        if (c < best.cost) best = { cost: c, from: j };
      });
      row.push(best);
    }
    table.push(row);
  }
  const chosen: RunOption[] = new Array(segments.length);
  let j = table[table.length - 1].reduce((bi, c, i, row) => (c.cost < row[bi].cost ? i : bi), 0);
  for (let k = segments.length - 1; k >= 0; k--) {
    chosen[k] = opts[k][j];
    j = table[k][j].from;
  }
  return chosen;
}

/** Rebuild body lines (with quote depth) from a flattened body. */
export function restoreFlatBody(flat: string): BodyLine[] {
  const segments = segmentsOf(flat);
  const depths = chooseDepths(segments);
  const lines: BodyLine[] = [];
  segments.forEach((seg, k) => {
    if (seg.run === null) {
      for (const t of splitOwn(seg.text)) lines.push({ depth: 0, text: t });
      return;
    }
    const { empties, depth } = depths[k];
    for (const e of empties) lines.push({ depth: e, text: '' });
    const cut = glueCut(seg.text);
    if (cut > 0) {
      lines.push({ depth, text: seg.text.slice(0, cut).trim() });
      for (const t of splitOwn(seg.text.slice(cut).trim())) lines.push({ depth: 0, text: t });
    } else lines.push({ depth, text: seg.text });
  });
  return lines;
}

/** Own text: one line per attribution, the rest word-wrapped. */
function splitOwn(text: string): string[] {
  const out: string[] = [];
  const parts = text.split(/(?<=\bwrote:)\s+/);
  for (const p of parts) out.push(...wrap(p));
  return out;
}

export function renderBodyLines(lines: BodyLine[]): string {
  return lines
    .map((l) => (l.depth > 0 ? `${'>'.repeat(l.depth)}${l.text ? ` ${l.text}` : ''}` : l.text))
    .join('\n');
}
