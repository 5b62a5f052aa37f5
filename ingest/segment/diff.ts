// Unified-diff parsing for patches found in mail bodies.
//
// Reads git diffs (`diff --git`, extended header lines, `GIT binary patch`), plain unified diffs
// (`--- a/x` / `+++ b/x` with no `diff` line), CVS `Index:` diffs and bare hunks. Mail makes diffs
// dirty, so the parser is tolerant: hunk line counts decide where a hunk ends (a `-- ` signature
// after the last hunk is not a deleted line), a blank line inside a hunk is a context line whose
// leading space was stripped when the counts need one, and in text dumps that lost all leading
// whitespace an unprefixed line inside a hunk is read as context while the counts still need
// context. Hunk headers and `diff --git` lines wrapped by an archive are re-joined.
//
// Line numbers: `HunkLine.line`, `FileDiff.startLine`/`endLine` and `Hunk.startLine`/`endLine` are
// 0-based indexes into `text.split('\n')` (inclusive ranges). `oldLine`/`newLine` are the 1-based
// line numbers in the old and new file, as in the hunk header.
// Never throws on odd input: what is not understood is simply not part of any FileDiff.

export type FileStatus = 'modified' | 'added' | 'deleted' | 'renamed' | 'copied' | 'binary' | 'mode';
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

export interface FileDiff {
  /** Path before the change, without the `a/` prefix; null for /dev/null or an orphan hunk. */
  oldPath: string | null;
  /** Path after the change, without the `b/` prefix; null for /dev/null or an orphan hunk. */
  newPath: string | null;
  status: FileStatus;
  /** Which syntax introduced the file. `hunks-only` is a run of hunks with no file header. */
  format: 'git' | 'unified' | 'cvs' | 'hunks-only';
  newFile: boolean;
  deletedFile: boolean;
  binary: boolean;
  oldMode: string | null;
  newMode: string | null;
  /** `similarity index N%` of a rename/copy, else null. */
  similarity: number | null;
  /** Blob ids from the `index abc..def` line, else null. */
  oldBlob: string | null;
  newBlob: string | null;
  hunks: Hunk[];
  /** 0-based first and last line of this file's part in the parsed text. */
  startLine: number;
  endLine: number;
}

/** Where the patch part of a mail body is: the `---` separator, the diffstat under it, the first diff line. */
export interface DiffLocation {
  /** 0-based line of the first diff line (`diff --git`, `Index:`, `--- a/…`, `@@`), or null when there is no diff. */
  diffStart: number | null;
  /** 0-based line of the `---` separator before the diff, or null. */
  separator: number | null;
  /** Inclusive 0-based range of the diffstat lines, or null. */
  diffstat: [number, number] | null;
}

const HUNK_HEADER = /^(@{2,})\s*((?:-\d+(?:,\d+)?\s+)+)\+(\d+)(?:,(\d+))?\s*@{2,}(.*)$/;
const HUNK_HEADER_PREFIX = /^@{2,}\s*-\d+/;
const GIT_HEADER = /^diff --git /;
const OTHER_DIFF_HEADER = /^diff (?:-[-\w]+\s+)+\S/;
const DIFFSTAT_FILE = /^\s*\S.*\s\|\s+(?:\d+\s*[-+]*|Bin\b.*)\s*$/;
const DIFFSTAT_SUMMARY = /^\s*\d+ files? changed(?:, \d+ insertions?\(\+\))?(?:, \d+ deletions?\(-\))?\s*$/;
const DIFFSTAT_EXTRA = /^\s+(?:create mode|delete mode|mode change|rename|copy)\s/;

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

/**
 * The name of the function, struct or macro that git printed as hunk context:
 * `int pfn_valid(unsigned long pfn)` → `pfn_valid`, `static void __init sparse_init_nid(int nid,` →
 * `sparse_init_nid`, `struct nd_pfn_sb {` → `nd_pfn_sb`, `#define FOO(x)` → `FOO`,
 * `def junk():` → `junk`. Null when the context names nothing (Makefile assignments, labels, '').
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

function stripPrefix(path: string, prefix: string): string {
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

function unquotePath(p: string): string {
  const t = p.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) {
    return t.slice(1, -1).replace(/\\(["\\])/g, '$1').replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  }
  return t;
}

/** Path from a `--- x` / `+++ x` line: drop a trailing timestamp (tab-separated or CVS style) and the a/ b/ prefix. */
function pathFromMarkerLine(rest: string, prefix: string): string | null {
  let p = rest;
  const tab = p.indexOf('\t');
  if (tab >= 0) p = p.slice(0, tab);
  else p = p.replace(/\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [-+]\d{4})?\s*$/, '');
  p = unquotePath(p.trimEnd());
  if (p === '/dev/null' || p === '') return null;
  return stripPrefix(p, prefix);
}

/** The two paths of a `diff --git` line; git's `--no-prefix` form (`diff --git x x`) is supported. */
function pathsFromGitLine(rest: string): [string | null, string | null] {
  const r = rest.trim();
  if (r.startsWith('"')) {
    const m = /^("(?:[^"\\]|\\.)*")\s+(.*)$/.exec(r);
    if (m) return [stripPrefix(unquotePath(m[1]), 'a/'), stripPrefix(unquotePath(m[2]), 'b/')];
  }
  const ab = r.indexOf(' b/');
  if (r.startsWith('a/') && ab > 0) return [r.slice(2, ab), unquotePath(r.slice(ab + 3))];
  // Without prefixes the two halves are normally identical: split in the middle.
  const mid = (r.length - 1) / 2;
  if (Number.isInteger(mid) && r[mid] === ' ' && r.slice(0, mid) === r.slice(mid + 1)) {
    return [r.slice(0, mid), r.slice(mid + 1)];
  }
  const sp = r.indexOf(' ');
  if (sp > 0) return [r.slice(0, sp), r.slice(sp + 1)];
  return [r || null, r || null];
}

function newFileDiff(format: FileDiff['format'], start: number): FileDiff {
  return {
    oldPath: null,
    newPath: null,
    status: 'modified',
    format,
    newFile: false,
    deletedFile: false,
    binary: false,
    oldMode: null,
    newMode: null,
    similarity: null,
    oldBlob: null,
    newBlob: null,
    hunks: [],
    startLine: start,
    endLine: start,
  };
}

function finishStatus(f: FileDiff, renamed: boolean, copied: boolean): void {
  if (renamed) f.status = 'renamed';
  else if (copied) f.status = 'copied';
  else if (f.binary) f.status = 'binary';
  else if (f.newFile) f.status = 'added';
  else if (f.deletedFile) f.status = 'deleted';
  else if (f.oldMode && f.newMode && f.oldMode !== f.newMode && f.hunks.length === 0) f.status = 'mode';
  else f.status = 'modified';
}

/** True when `lines[i]` is `--- x` directly followed by `+++ y` (a unified file header). */
function isMarkerPair(lines: string[], i: number): boolean {
  return i + 1 < lines.length && lines[i].startsWith('--- ') && lines[i + 1].startsWith('+++ ');
}

function isCvsIndex(lines: string[], i: number): boolean {
  return /^Index: \S/.test(lines[i]) && i + 1 < lines.length && /^={20,}\s*$/.test(lines[i + 1]);
}

function isHunkHeaderAt(lines: string[], i: number): boolean {
  return HUNK_HEADER_PREFIX.test(lines[i]) && readHunkHeader(lines, i) !== null;
}

/** True when `line` starts a new file or hunk, so a hunk that is still short of lines must stop. */
function isStructuralLine(lines: string[], i: number): boolean {
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

/** Kind of a line by its prefix column(s), or null when it has no diff prefix. */
function classifyPrefixed(line: string, parents: number): HunkLineKind | null {
  // `\ No newline at end of file` (git prints a localised text after `\ `); a lone `\` is a
  // macro-continuation context line whose leading whitespace was stripped.
  if (line.startsWith('\\ ')) return 'meta';
  const cols = line.slice(0, parents);
  if (cols.length < parents) {
    // A short line in a combined diff: only a stripped blank could be this short.
    if (cols.length === 0) return null;
  }
  if (!/^[ +-]+$/.test(cols)) return null;
  if (cols.includes('+')) return cols.includes('-') ? null : 'add';
  if (cols.includes('-')) return 'del';
  return 'context';
}

interface HunkRead {
  hunk: Hunk;
  next: number;
}

/**
 * Read the hunk at `start`. When the header looks wrapped by an archive, both readings are tried and
 * the one whose line counts come out right wins (the joined one when both or neither do).
 */
function readHunk(lines: string[], start: number): HunkRead | null {
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
    } else if (kind === null && remOld > 0 && remNew > 0 && !/^-- ?$/.test(l)) {
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

/** Read hunks starting at `i` (skipping nothing in between); returns the index after the last one. */
function readHunks(lines: string[], i: number, into: FileDiff): number {
  let j = i;
  while (j < lines.length && HUNK_HEADER_PREFIX.test(lines[j])) {
    const r = readHunk(lines, j);
    if (!r) break;
    into.hunks.push(r.hunk);
    into.endLine = r.hunk.endLine;
    j = r.next;
  }
  return j;
}

/** Read the `GIT binary patch` body (one or two `literal`/`delta` blocks of base85 lines). */
function readBinaryPatch(lines: string[], i: number, f: FileDiff): number {
  let j = i + 1;
  for (let block = 0; block < 2; block++) {
    if (j >= lines.length || !/^(?:literal|delta) \d+\s*$/.test(lines[j])) break;
    j++;
    while (j < lines.length && lines[j] !== '' && /^[A-Za-z][0-9A-Za-z!#$%&()*+;<=>?@^_`{|}~-]*\s*$/.test(lines[j])) j++;
    f.endLine = j - 1;
    if (j < lines.length && lines[j] === '') {
      f.endLine = j;
      j++;
    }
  }
  return j;
}

function joinWrappedGitLine(lines: string[], i: number): { rest: string; consumed: number } {
  const rest = lines[i].slice('diff --git '.length);
  const next = lines[i + 1];
  // An archive wrapped `diff --git a/long/path \n b/long/path`.
  if (!/ b\//.test(rest) && rest.startsWith('a/') && next !== undefined && /^\s*b\/\S+\s*$/.test(next)) {
    return { rest: `${rest.trimEnd()} ${next.trim()}`, consumed: 2 };
  }
  return { rest, consumed: 1 };
}

function readGitFile(lines: string[], start: number): { file: FileDiff; next: number } {
  const f = newFileDiff('git', start);
  const joined = joinWrappedGitLine(lines, start);
  [f.oldPath, f.newPath] = pathsFromGitLine(joined.rest);
  let renamed = false;
  let copied = false;
  let i = start + joined.consumed;
  f.endLine = i - 1;
  for (; i < lines.length; i++) {
    const l = lines[i];
    let m: RegExpExecArray | null;
    if ((m = /^old mode (\d+)/.exec(l))) f.oldMode = m[1];
    else if ((m = /^new mode (\d+)/.exec(l))) f.newMode = m[1];
    else if ((m = /^new file mode (\d+)/.exec(l))) {
      f.newFile = true;
      f.newMode = m[1];
    } else if ((m = /^deleted file mode (\d+)/.exec(l))) {
      f.deletedFile = true;
      f.oldMode = m[1];
    } else if ((m = /^(?:similarity|dissimilarity) index (\d+)%/.exec(l))) f.similarity = Number(m[1]);
    else if ((m = /^rename from (.*)$/.exec(l))) {
      renamed = true;
      f.oldPath = unquotePath(m[1]);
    } else if ((m = /^rename to (.*)$/.exec(l))) {
      renamed = true;
      f.newPath = unquotePath(m[1]);
    } else if ((m = /^copy from (.*)$/.exec(l))) {
      copied = true;
      f.oldPath = unquotePath(m[1]);
    } else if ((m = /^copy to (.*)$/.exec(l))) {
      copied = true;
      f.newPath = unquotePath(m[1]);
    } else if ((m = /^index ([0-9a-f]+)\.\.([0-9a-f]+)(?: (\d+))?/.exec(l))) {
      f.oldBlob = m[1];
      f.newBlob = m[2];
      if (m[3] && !f.oldMode) {
        f.oldMode = m[3];
        f.newMode = f.newMode ?? m[3];
      }
    } else if (/^Binary files .* differ\s*$/.test(l)) {
      f.binary = true;
    } else if (l.startsWith('GIT binary patch')) {
      f.binary = true;
      f.endLine = i;
      i = readBinaryPatch(lines, i, f) - 1;
      continue;
    } else if (isMarkerPair(lines, i)) {
      const oldP = pathFromMarkerLine(lines[i].slice(4), 'a/');
      const newP = pathFromMarkerLine(lines[i + 1].slice(4), 'b/');
      if (oldP === null) f.newFile = true;
      if (newP === null) f.deletedFile = true;
      if (!renamed && !copied) {
        f.oldPath = oldP ?? f.oldPath;
        f.newPath = newP ?? f.newPath;
      }
      f.endLine = i + 1;
      i = readHunks(lines, i + 2, f);
      break;
    } else if (HUNK_HEADER_PREFIX.test(l)) {
      i = readHunks(lines, i, f);
      break;
    } else {
      break;
    }
    f.endLine = i;
  }
  if (f.newFile) f.oldPath = null;
  if (f.deletedFile) f.newPath = null;
  finishStatus(f, renamed, copied);
  return { file: f, next: Math.max(i, f.endLine + 1) };
}

function readUnifiedFile(lines: string[], start: number, format: 'unified' | 'cvs'): { file: FileDiff; next: number } {
  const f = newFileDiff(format, start);
  let i = start;
  if (format === 'cvs') {
    // `Index: path`, `====`, then optional RCS lines, `diff -u …`, and the `---`/`+++` pair.
    const indexPath = lines[i].slice('Index: '.length).trim();
    f.oldPath = indexPath;
    f.newPath = indexPath;
    i += 2;
    while (i < lines.length && !isMarkerPair(lines, i) && /^(?:RCS file:|retrieving revision|diff |Only in |Binary )/.test(lines[i])) {
      if (/^Binary /.test(lines[i])) f.binary = true;
      i++;
    }
    f.endLine = i - 1;
    if (!isMarkerPair(lines, i)) {
      finishStatus(f, false, false);
      return { file: f, next: i };
    }
  }
  const oldP = pathFromMarkerLine(lines[i].slice(4), format === 'cvs' ? '' : 'a/');
  const newP = pathFromMarkerLine(lines[i + 1].slice(4), format === 'cvs' ? '' : 'b/');
  f.newFile = oldP === null;
  f.deletedFile = newP === null;
  f.oldPath = oldP ?? (format === 'cvs' && !f.newFile ? f.oldPath : null);
  f.newPath = newP ?? (format === 'cvs' && !f.deletedFile ? f.newPath : null);
  f.endLine = i + 1;
  const next = readHunks(lines, i + 2, f);
  finishStatus(f, false, false);
  return { file: f, next };
}

/** Split text into lines the way every line number in this module counts them. */
export function splitLines(text: string): string[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** Parse every file diff found in `text` (a whole patch mail body, an attachment, or a bare diff). */
export function parseDiff(text: string): FileDiff[] {
  if (typeof text !== 'string' || text === '') return [];
  return parseDiffLines(splitLines(text));
}

/** As parseDiff, on text already split with `splitLines`. */
export function parseDiffLines(lines: string[]): FileDiff[] {
  const files: FileDiff[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i];
    let r: { file: FileDiff; next: number } | null = null;
    if (GIT_HEADER.test(l)) r = readGitFile(lines, i);
    else if (isCvsIndex(lines, i)) r = readUnifiedFile(lines, i, 'cvs');
    else if (isMarkerPair(lines, i) && i + 2 < lines.length && isHunkHeaderAt(lines, i + 2)) {
      r = readUnifiedFile(lines, i, 'unified');
      // `diff -u a b` / `diff -Naur` line right above belongs to this file.
      if (i > 0 && OTHER_DIFF_HEADER.test(lines[i - 1])) r.file.startLine = i - 1;
    } else if (isHunkHeaderAt(lines, i)) {
      const f = newFileDiff('hunks-only', i);
      const next = readHunks(lines, i, f);
      finishStatus(f, false, false);
      r = { file: f, next };
    }
    if (r) {
      files.push(r.file);
      i = Math.max(r.next, i + 1);
    } else i++;
  }
  return files;
}

/**
 * Find the patch part of a mail body: the first diff line, the `---` separator above it (the last
 * line that is exactly `---` before the diff) and the diffstat between them.
 */
export function findDiffStart(lines: string[]): DiffLocation {
  let diffStart: number | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (GIT_HEADER.test(l) || isCvsIndex(lines, i)) {
      diffStart = i;
      break;
    }
    if (isMarkerPair(lines, i) && i + 2 < lines.length && isHunkHeaderAt(lines, i + 2)) {
      diffStart = i > 0 && OTHER_DIFF_HEADER.test(lines[i - 1]) ? i - 1 : i;
      break;
    }
    if (isHunkHeaderAt(lines, i)) {
      diffStart = i;
      break;
    }
  }
  const end = diffStart ?? lines.length;
  let separator: number | null = null;
  for (let i = end - 1; i >= 0; i--) {
    if (/^---\s*$/.test(lines[i])) {
      separator = i;
      break;
    }
  }
  let diffstat: [number, number] | null = null;
  if (separator !== null) {
    let first = -1;
    let last = -1;
    for (let i = separator + 1; i < end; i++) {
      const l = lines[i];
      if (DIFFSTAT_FILE.test(l) || DIFFSTAT_SUMMARY.test(l) || (first >= 0 && DIFFSTAT_EXTRA.test(l))) {
        if (first < 0) first = i;
        last = i;
      } else if (l.trim() === '' && first < 0) continue;
      else if (first >= 0) break;
      else break;
    }
    if (first >= 0 && lines.slice(first, last + 1).some((l) => DIFFSTAT_SUMMARY.test(l) || DIFFSTAT_FILE.test(l))) {
      diffstat = [first, last];
    }
  }
  return { diffStart, separator, diffstat };
}
