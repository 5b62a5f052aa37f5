// Hunks of a unified diff: `@@ -a,b +c,d @@ context` headers, the function named in the context,
// and the hunk body read with the tolerance mail needs (see diff.ts for the rules and numbering).

export type HunkLineKind = 'context' | 'add' | 'del' | 'meta';

export interface HunkLine {
  kind: HunkLineKind;
  /** Line content without its diff prefix (for `meta`: the whole line, e.g. `\ No newline at end of file`). */
  text: string;
  /** 1-based line number in the old file (context and del), else null. */
  oldLine: number | null;
  /** 1-based line number in the new file (context and add), else null. */
  newLine: number | null;
  /** 0-based index of this line in the parsed text. */
  line: number;
  /** True when this context line had lost its leading space (blank or unprefixed line read as context). */
  stripped?: boolean;
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** The whole header line (re-joined when an archive wrapped it). */
  header: string;
  /** The text after the closing `@@` (git's function context), trimmed; '' when none. */
  context: string;
  /** Name of the function/struct/macro in `context`, or null. */
  functionName: string | null;
  lines: HunkLine[];
  /** Number of parents for combined (`@@@`) diffs; 1 for ordinary hunks. */
  parents: number;
  /** False when the hunk ended before its counts were satisfied (truncated or mangled). */
  complete: boolean;
  /** 0-based first (header) and last line of the hunk in the parsed text. */
  startLine: number;
  endLine: number;
}

export const HUNK_HEADER_PREFIX = /^@{2,}\s*-\d+/;
export const GIT_HEADER = /^diff --git /;
const HUNK_HEADER = /^(@{2,})\s*((?:-\d+(?:,\d+)?\s+)+)\+(\d+)(?:,(\d+))?\s*@{2,}(.*)$/;

export interface HunkHeader {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  parents: number;
  context: string;
}

/** Parse one `@@ -a,b +c,d @@ ctx` (or combined `@@@ -a,b -c,d +e,f @@@`) header; null when it is not one. */
export function parseHunkHeader(line: string): HunkHeader | null {
  const m = HUNK_HEADER.exec(line);
  if (!m) return null;
  const olds = m[2].trim().split(/\s+/);
  const first = /^-(\d+)(?:,(\d+))?$/.exec(olds[0]);
  if (!first) return null;
  const oldStart = Number(first[1]);
  const oldLines = first[2] === undefined ? 1 : Number(first[2]);
  const newStart = Number(m[3]);
  const newLines = m[4] === undefined ? 1 : Number(m[4]);
  if (![oldStart, oldLines, newStart, newLines].every(Number.isSafeInteger)) return null;
  return { oldStart, oldLines, newStart, newLines, parents: olds.length, context: m[5].trim() };
}

const NOT_FUNCTIONS = new Set([
  'if', 'for', 'while', 'switch', 'return', 'sizeof', 'typeof', '__typeof__', 'do', 'else', 'case',
  '__attribute__', 'defined', 'unlikely', 'likely', 'alignof', '_Alignof', '__aligned',
]);

/** A macro call's name (all capitals: `_GLOBAL`, `SYM_FUNC_START`, `DEFINE_MUTEX`, `END_FTR_SECTION_IFSET`). */
const MACRO_NAME = /^_*[A-Z][A-Z0-9_]*$/;
/** Macros whose second argument is the symbol they define: `DEFINE_PER_CPU(type, name)`, `__SYSCALL(nr, sys_x)`. */
const SECOND_ARG_MACROS = /^(?:(?:DEFINE|DECLARE)_PER_CPU\w*|__SYSCALL|MODULE_DEVICE_TABLE)$/;
const IDENTIFIER = /^[A-Za-z_]\w*$/;

/** The first arguments of the call whose `(` ends at `from` (the text may stop before its `)`). */
function callArguments(text: string, from: number): string[] {
  const close = text.indexOf(')', from);
  return text.slice(from, close < 0 ? undefined : close).split(',').map((a) => a.trim());
}

/**
 * The symbol a macro at the head of a hunk context defines or marks. Assembly and kernel C wrap
 * the name in one: `_GLOBAL(enter_rtas)`, `SYM_FUNC_START(crc_pcl)`, `EXC_COMMON_BEGIN(…)`,
 * `DEFINE_MUTEX(image_data_mutex)`, `DEFINE_PER_CPU(cpumask_var_t, thread_group_l1_cache_map)`
 * (counted on linuxppc-dev, where `_GLOBAL` had become a "function" of 1,434 hunks). The name must
 * be an identifier with a lower-case letter; a flag (`END_FTR_SECTION_IFSET(CPU_FTR_HAS_PPR)`) or
 * a number (`EXC_VIRT_NONE(0x4200, 0x100)`) names no symbol: null.
 */
function macroSymbol(macro: string, text: string, argsFrom: number): string | null {
  const args = callArguments(text, argsFrom);
  const name = SECOND_ARG_MACROS.test(macro) ? args[1] : args[0];
  return name && IDENTIFIER.test(name) && /[a-z]/.test(name) ? name : null;
}

/**
 * The name of the function, struct or macro that git printed as hunk context:
 * `int pfn_valid(unsigned long pfn)` → `pfn_valid`, `static void __init sparse_init_nid(int nid,` →
 * `sparse_init_nid`, `struct nd_pfn_sb {` → `nd_pfn_sb`, `#define FOO(x)` → `FOO`,
 * `def junk():` → `junk`, `_GLOBAL(enter_rtas)` → `enter_rtas`. Null when the context names nothing
 * (Makefile assignments, labels, '', a macro over a flag).
 */
export function extractFunctionName(context: string): string | null {
  const text = context.trim();
  if (text === '') return null;
  const define = /^#\s*define\s+([A-Za-z_]\w*)/.exec(text);
  if (define) return define[1];
  if (text.startsWith('#')) return null;
  // `EXPORT_SYMBOL_GPL(foo);` and `SYSCALL_DEFINE3(mmap, …)` name the symbol in their first argument.
  const wrapper = /^(?:EXPORT_SYMBOL\w*|SYSCALL_DEFINE\d|COMPAT_SYSCALL_DEFINE\d|module_\w+)\s*\(\s*([A-Za-z_]\w*)/.exec(text);
  if (wrapper) return wrapper[1];
  const calls = text.matchAll(/([A-Za-z_]\w*)\s*\(/g);
  for (const c of calls) {
    const name = c[1];
    // `$(VAR)` in a Makefile is not a function (the regex cannot match it); keywords and attribute wrappers are skipped.
    if (NOT_FUNCTIONS.has(name)) continue;
    if (MACRO_NAME.test(name)) return macroSymbol(name, text, (c.index ?? 0) + c[0].length);
    // `int (*handler)(void)`: a function-pointer declaration; the name is inside the parens.
    return name;
  }
  const fnPtr = /\(\s*\*\s*([A-Za-z_]\w*)\s*\)/.exec(text);
  if (fnPtr) return fnPtr[1];
  // `static const struct file_operations nvdimm_fops = {`: the variable, not its type.
  const assigned = /([A-Za-z_]\w*)(?:\[[^\]]*\])?\s*=\s*\{?\s*$/.exec(text);
  if (assigned && /^(?:static|const|struct|union|enum|unsigned|int|long|char|bool|u\d+|[A-Za-z_]\w*_t)\b/.test(text)) {
    return assigned[1];
  }
  const aggregate = /\b(?:struct|union|enum|class)\s+([A-Za-z_]\w*)/.exec(text);
  if (aggregate) return aggregate[1];
  const keyword = /^\s*(?:def|fn|func|sub|function|proc)\s+([A-Za-z_]\w*)/.exec(text);
  if (keyword) return keyword[1];
  return null;
}


/** True when `lines[i]` is `--- x` directly followed by `+++ y` (a unified file header). */
export function isMarkerPair(lines: string[], i: number): boolean {
  return i + 1 < lines.length && lines[i].startsWith('--- ') && lines[i + 1].startsWith('+++ ');
}

/** True when `lines[i]` is a CVS `Index: path` line followed by the `====` rule. */
export function isCvsIndex(lines: string[], i: number): boolean {
  return /^Index: \S/.test(lines[i]) && i + 1 < lines.length && /^={20,}\s*$/.test(lines[i + 1]);
}

/** True when `lines[i]` is a hunk header. */
export function isHunkHeaderAt(lines: string[], i: number): boolean {
  return HUNK_HEADER_PREFIX.test(lines[i]) && readHunkHeader(lines, i) !== null;
}

/** True when `line` starts a new file or hunk, so a hunk that is still short of lines must stop. */
export function isStructuralLine(lines: string[], i: number): boolean {
  const l = lines[i];
  return GIT_HEADER.test(l) || isCvsIndex(lines, i) || HUNK_HEADER_PREFIX.test(l) || isMarkerPair(lines, i);
}

/** The hunk header at `i`, and, when an archive seems to have wrapped it, the header re-joined with the next line. */
function readHunkHeader(lines: string[], i: number): { header: HunkHeader; text: string; consumed: number } | null {
  const parsed = parseHunkHeader(lines[i]);
  if (!parsed) return null;
  return { header: parsed, text: lines[i], consumed: 1 };
}

const STATEMENT_START = /^(?:if|else|for|while|do|switch|case|return|break|continue|goto|default)\b/;

function wrappedHunkHeader(lines: string[], i: number): { header: HunkHeader; text: string; consumed: number } | null {
  const parsed = parseHunkHeader(lines[i]);
  const next = lines[i + 1];
  if (!parsed || next === undefined || parsed.context === '') return null;
  const open = (parsed.context.match(/\(/g) ?? []).length > (parsed.context.match(/\)/g) ?? []).length;
  const n = next.trim();
  if (!(open || /\s$/.test(lines[i])) || n === '' || /^[ +\-\\@]/.test(next) || next.length >= 80) return null;
  if (STATEMENT_START.test(n) || /;\s*$/.test(n) || n.startsWith('}')) return null;
  const text = `${lines[i].trimEnd()} ${n}`;
  const joined = parseHunkHeader(text);
  return joined ? { header: joined, text, consumed: 2 } : null;
}

interface RegionCounts {
  dels: number;
  adds: number;
  ctx: number;
}

/** Count explicit diff lines from `from` up to the first line that cannot belong to this hunk. */
function lookahead(lines: string[], from: number, parents: number): RegionCounts {
  const counts: RegionCounts = { dels: 0, adds: 0, ctx: 0 };
  for (let j = from; j < lines.length; j++) {
    const l = lines[j];
    if (isStructuralLine(lines, j)) break;
    if (l === '') continue;
    const kind = classifyPrefixed(l, parents);
    if (kind === null) break;
    if (kind === 'del') counts.dels++;
    else if (kind === 'add') counts.adds++;
    else if (kind === 'context') counts.ctx++;
  }
  return counts;
}

/**
 * An unprefixed line that reads like a sentence (a reviewer's comment under a truncated quote),
 * not like code whose indentation an archive stripped: four or more words, a capitalised first
 * word, and none of the punctuation code is made of.
 */
function looksLikeProse(line: string): boolean {
  const t = line.trim();
  return /^[A-Z][a-z']*,?(?:\s+\S+){3,}/.test(t) && !/[;{}=<>&|#*\\[\]]|\/\/|->|\w\(/.test(t);
}

/**
 * Kind of a line by its prefix column(s), or null when it has no diff prefix. Combined (`@@@`)
 * diffs are read against the first parent, as the first `-a,b` range counts them: a line present
 * in the first parent and the result is context, `+` in the first column is an addition, `-` a
 * deletion; a line only other parents had is `meta` (it has no old or new line number).
 */
function classifyPrefixed(line: string, parents: number): HunkLineKind | null {
  // `\ No newline at end of file` (git prints a localised text after `\ `); a lone `\` is a
  // macro-continuation context line whose leading whitespace was stripped.
  if (line.startsWith('\\ ')) return 'meta';
  const cols = line.slice(0, parents);
  if (cols.length === 0 || !/^[ +-]+$/.test(cols)) return null;
  if (parents === 1) return cols === '+' ? 'add' : cols === '-' ? 'del' : 'context';
  if (cols.includes('-')) {
    if (cols.includes('+')) return null;
    return cols[0] === '-' ? 'del' : 'meta';
  }
  return cols[0] === '+' ? 'add' : 'context';
}

export interface HunkRead {
  hunk: Hunk;
  next: number;
}

/**
 * Read the hunk at `start`. When the header looks wrapped by an archive, both readings are tried and
 * the one whose line counts come out right wins (the joined one when both or neither do).
 */
export function readHunk(lines: string[], start: number): HunkRead | null {
  const plain = readHunkHeader(lines, start);
  if (!plain) return null;
  const wrapped = wrappedHunkHeader(lines, start);
  if (!wrapped) return readHunkBody(lines, start, plain);
  const joined = readHunkBody(lines, start, wrapped);
  if (joined.hunk.complete) return joined;
  const unjoined = readHunkBody(lines, start, plain);
  return unjoined.hunk.complete ? unjoined : joined;
}

function readHunkBody(lines: string[], start: number, h: { header: HunkHeader; text: string; consumed: number }): HunkRead {
  const { header } = h;
  const hunk: Hunk = {
    oldStart: header.oldStart,
    oldLines: header.oldLines,
    newStart: header.newStart,
    newLines: header.newLines,
    header: h.text,
    context: header.context,
    functionName: extractFunctionName(header.context),
    lines: [],
    parents: header.parents,
    complete: false,
    startLine: start,
    endLine: start + h.consumed - 1,
  };
  let remOld = header.oldLines;
  let remNew = header.newLines;
  let oldNo = header.oldStart;
  let newNo = header.newStart;
  let i = start + h.consumed;
  const p = header.parents;
  const pushMeta = (text: string): void => {
    hunk.lines.push({ kind: 'meta', text, oldLine: null, newLine: null, line: i });
    hunk.endLine = i;
  };
  while (i < lines.length && (remOld > 0 || remNew > 0)) {
    const l = lines[i];
    if (l !== '' && isStructuralLine(lines, i)) break;
    const kind = l === '' ? null : classifyPrefixed(l, p);
    if (kind === 'meta') {
      pushMeta(l);
      i++;
      continue;
    }
    if (kind === 'context' && remOld > 0 && remNew > 0) {
      hunk.lines.push({ kind, text: l.slice(p), oldLine: oldNo++, newLine: newNo++, line: i });
      remOld--;
      remNew--;
    } else if (kind === 'del' && remOld > 0) {
      hunk.lines.push({ kind, text: l.slice(p), oldLine: oldNo++, newLine: null, line: i });
      remOld--;
    } else if (kind === 'add' && remNew > 0) {
      hunk.lines.push({ kind, text: l.slice(p), oldLine: null, newLine: newNo++, line: i });
      remNew--;
    } else if (l.trim() === '') {
      // A blank line: a context line whose leading space was stripped, if the counts leave room for
      // it after the explicit lines still to come; otherwise mail noise inside the hunk.
      const ahead = lookahead(lines, i + 1, p);
      if (remOld - 1 >= ahead.dels + ahead.ctx && remNew - 1 >= ahead.adds + ahead.ctx && remOld > 0 && remNew > 0) {
        hunk.lines.push({ kind: 'context', text: l.slice(Math.min(p, l.length)), oldLine: oldNo++, newLine: newNo++, line: i, stripped: true });
        remOld--;
        remNew--;
      } else {
        const rest = lookahead(lines, i + 1, p);
        if (rest.dels + rest.adds + rest.ctx === 0) break;
        pushMeta(l);
      }
    } else if (kind === null && remOld > 0 && remNew > 0 && !/^-- ?$/.test(l) && !looksLikeProse(l)) {
      // A context line whose leading whitespace an archive stripped.
      hunk.lines.push({ kind: 'context', text: l, oldLine: oldNo++, newLine: newNo++, line: i, stripped: true });
      remOld--;
      remNew--;
    } else {
      break;
    }
    hunk.endLine = i;
    i++;
  }
  hunk.complete = remOld === 0 && remNew === 0;
  if (!hunk.complete) {
    // A truncated hunk (a reviewer quoted part of it, an archive cut it): blank lines it took as
    // stripped context at its end belong to what follows.
    while (hunk.lines.length > 0) {
      const tail = hunk.lines[hunk.lines.length - 1];
      if (!(tail.stripped && tail.text.trim() === '')) break;
      hunk.lines.pop();
      i = tail.line;
    }
    hunk.endLine = hunk.lines.length > 0 ? hunk.lines[hunk.lines.length - 1].line : hunk.endLine;
  }
  // `\ No newline at end of file` follows the last line of a hunk.
  while (i < lines.length && lines[i].startsWith('\\ ')) {
    pushMeta(lines[i]);
    i++;
  }
  // Drop trailing noise lines that were only kept provisionally.
  while (hunk.lines.length > 0 && hunk.lines[hunk.lines.length - 1].kind === 'meta' && hunk.lines[hunk.lines.length - 1].text.trim() === '') {
    hunk.lines.pop();
  }
  if (hunk.lines.length > 0) hunk.endLine = Math.max(hunk.endLine, hunk.lines[hunk.lines.length - 1].line);
  else hunk.endLine = start + h.consumed - 1;
  return { hunk, next: hunk.endLine + 1 };
}

