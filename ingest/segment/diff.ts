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

import {
  GIT_HEADER,
  HUNK_HEADER_PREFIX,
  isCvsIndex,
  isHunkHeaderAt,
  isMarkerPair,
  readHunk,
  type Hunk,
} from './hunk.js';

export { extractFunctionName, parseHunkHeader, type Hunk, type HunkHeader, type HunkLine, type HunkLineKind } from './hunk.js';

export type FileStatus = 'modified' | 'added' | 'deleted' | 'renamed' | 'copied' | 'binary' | 'mode';

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

const OTHER_DIFF_HEADER = /^diff (?:-[-\w]+\s+)+\S/;
// ` path | 12 +++--` (archives squeeze the blanks: ` path |3 +`) or ` path | Bin 0 -> 142 bytes`.
const DIFFSTAT_FILE = /^\s*\S.*?\s*\|\s*(?:\d+\s*[-+]*|Bin\b.*)\s*$/;
const DIFFSTAT_SUMMARY = /^\s*\d+ files? changed(?:, \d+ insertions?\(\+\))?(?:, \d+ deletions?\(-\))?\s*$/;
const DIFFSTAT_EXTRA = /^\s+(?:create mode|delete mode|mode change|rename|copy)\s/;

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
