// Every input format behind one call. The pipeline does:
//
//   for await (const item of readSources(paths, { format, onSkip, onProgress })) …
//
// `paths` are files, directories or `-` (stdin). Each path's format is detected (detect.ts)
// unless `format` forces one. Items come out in input order: `{kind: 'rfc822'}` raw bytes to
// parse (mbox, public-inbox, maildir, eml, and flat RFC 822 recovered by flatRfc822.ts), or
// `{kind: 'message'}` for text dumps (mail-archive.com, lkml.org) whose parsers build Messages.
// Input that yields no message is reported through `onSkip`; a top-level path that cannot be
// read at all goes to `onUnreadable` (or throws SourceError without it) and the CLI reports it
// and exits non-zero; inside a directory an unreadable or unrecognised file is a skip.
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { RawItem, SourceFormat } from '../model.js';
import { decodeUnknown } from '../parse/charset.js';
import { detectFromHead, detectPath } from './detect.js';
import { readEml, readWhole } from './eml.js';
import { recoverFlatRfc822 } from './flatRfc822.js';
import { parseLkmlDump } from './lkml.js';
import { parseMailArchiveDump } from './mailArchive.js';
import { openChunks, type ChunkReader } from './chunks.js';
import { isMaildir, readMaildir } from './maildir.js';
import { readMbox, splitChunks } from './mbox.js';
import { readPublicInbox } from './publicInbox.js';
import type { SourceHooks } from './types.js';

export type { SourceHooks, SourceProgress } from './types.js';

export interface ReadSourcesOptions extends SourceHooks {
  /** Force every path to be read as this format (`--format`); default: detect per path. */
  format?: SourceFormat;
  /** Stream to read for the path `-` (default: process.stdin). */
  stdin?: Readable;
  /**
   * Called for a top-level path that cannot be read at all (missing, no permission); reading
   * then goes on with the next path. Without it, such a path throws SourceError.
   */
  onUnreadable?: (e: SourceError) => void;
}

/** A top-level input that cannot be read at all. */
export class SourceError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'SourceError';
  }
}

const DUMP_FORMATS = new Set<SourceFormat>(['mail-archive', 'lkml', 'flat-rfc822']);

/** Text of a dump file: UTF-8 when valid, else Windows-1252. */
function dumpText(bytes: Buffer): string {
  return decodeUnknown(bytes);
}

/** A text dump (whole file in memory: dumps are web pages, small). */
async function* readDump(
  bytes: Buffer,
  format: SourceFormat,
  source: string,
  hooks: SourceHooks,
): AsyncGenerator<RawItem> {
  const text = dumpText(bytes);
  if (format === 'flat-rfc822') {
    const rfc = recoverFlatRfc822(text);
    if (rfc === null) {
      hooks.onSkip?.({ source, offset: 0, reason: 'flat RFC 822 text: could not recover header/body structure' });
      return;
    }
    yield { kind: 'rfc822', bytes: rfc, provenance: { source, format: 'flat-rfc822', offset: 0, length: bytes.length, line: 1 } };
    return;
  }
  const parsed = format === 'lkml' ? parseLkmlDump(text, source) : parseMailArchiveDump(text, source);
  for (const s of parsed.skips) hooks.onSkip?.(s);
  for (const message of parsed.messages) yield { kind: 'message', message };
}

/** Read one file as `format`. */
async function* readFileAs(path: string, format: SourceFormat, hooks: SourceHooks): AsyncGenerator<RawItem> {
  switch (format) {
    case 'mbox':
      yield* readMbox(path, hooks);
      return;
    case 'eml':
    case 'maildir':
      yield* readEml(path, hooks, path, format);
      return;
    case 'public-inbox':
      yield* readPublicInbox(path, hooks);
      return;
    default: {
      const { bytes, bytesTotal, problem } = await readWhole(path);
      hooks.onProgress?.({ source: path, bytesRead: bytesTotal ?? bytes.length, bytesTotal });
      if (problem) hooks.onSkip?.({ source: path, offset: problem.offset, reason: problem.reason });
      yield* readDump(bytes, format, path, hooks);
    }
  }
}

/** Read a path whose format is detected (or forced); `top` paths throw when unreadable. `reading`:
 * the real paths of the directories it lies in, so a symbolic link cycle is read once. */
async function* readPath(path: string, opts: ReadSourcesOptions, top: boolean, reading: ReadonlySet<string> = new Set()): AsyncGenerator<RawItem> {
  const hooks: SourceHooks = { onSkip: opts.onSkip, onProgress: opts.onProgress };
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (top) throw new SourceError(path, reason);
    hooks.onSkip?.({ source: path, offset: 0, reason: `unreadable: ${reason}` });
    return;
  }
  if (!st.isFile() && !st.isDirectory()) {
    hooks.onSkip?.({ source: path, offset: 0, reason: 'not a regular file or directory (a socket, FIFO or device)' });
    return;
  }
  try {
    if (opts.format) {
      if (st.isDirectory()) {
        if (opts.format === 'public-inbox') yield* readPublicInbox(path, hooks);
        else if (opts.format === 'maildir' && (await isMaildir(path))) {
          yield* readMaildir(path, hooks);
          yield* readDirectory(path, opts, MAILDIR_PARTS, reading);
        }
        else yield* readDirectory(path, opts, undefined, reading);
      } else {
        yield* readFileAs(path, opts.format, hooks);
      }
      return;
    }
    const d = await detectPath(path);
    if (d.kind === 'dir') {
      if (d.format === 'public-inbox') yield* readPublicInbox(path, hooks);
      else {
        yield* readMaildir(path, hooks);
        // Anything kept beside cur/ new/ tmp/ (an mbox, more folders) is read too, not ignored.
        yield* readDirectory(path, opts, MAILDIR_PARTS, reading);
      }
    } else if (d.kind === 'mixed-dir') {
      yield* readDirectory(path, opts, undefined, reading);
    } else if (d.kind === 'unknown') {
      hooks.onSkip?.({ source: path, offset: 0, reason: `not a mail archive: ${d.reason}` });
    } else {
      yield* readFileAs(path, d.format, hooks);
    }
  } catch (err) {
    if (err instanceof SourceError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    if (top && /^(EACCES|EISDIR|ENOENT|EPERM|EIO)/.test((err as { code?: string }).code ?? '')) {
      throw new SourceError(path, reason);
    }
    const code = (err as { code?: string }).code;
    hooks.onSkip?.({ source: path, offset: 0, reason: code ? `unreadable: ${reason}` : `read failed: ${reason}` });
  }
}

const MAILDIR_PARTS = new Set(['cur', 'new', 'tmp']);

/**
 * Everything under a directory that is not a maildir or inbox, in name order, recursing. Symbolic
 * links are followed (an archive directory may link its files from elsewhere); a link that leads
 * nowhere, or into a directory already being read (a cycle), and entries that are neither files
 * nor directories (sockets, FIFOs, devices) are reported as skipped, not dropped or read forever.
 */
async function* readDirectory(dir: string, opts: ReadSourcesOptions, exclude?: Set<string>, reading: ReadonlySet<string> = new Set()): AsyncGenerator<RawItem> {
  const real = await realpath(dir);
  if (reading.has(real)) {
    opts.onSkip?.({ source: dir, offset: 0, reason: `not read again: a symbolic link leads back to ${real}, which is being read` });
    return;
  }
  const inside = new Set(reading).add(real);
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => !e.name.startsWith('.') && !exclude?.has(e.name))
    .map((e) => e.name)
    .sort();
  for (const name of names) yield* readPath(join(dir, name), opts, false, inside);
}

/** stdin: detected from its first bytes (after gunzip when gzip), or forced. */
async function* readStdin(opts: ReadSourcesOptions): AsyncGenerator<RawItem> {
  const hooks: SourceHooks = { onSkip: opts.onSkip, onProgress: opts.onProgress };
  const reader = await openChunks(opts.stdin ?? process.stdin);
  // Look at the first chunk(s), then put them back in front of the rest.
  const head: Buffer[] = [];
  let len = 0;
  let done = false;
  while (len < 4096) {
    const r = await reader.chunks.next();
    if (r.done) {
      done = true;
      break;
    }
    head.push(r.value);
    len += r.value.length;
  }
  const headBuf = Buffer.concat(head, len);
  let format = opts.format;
  if (!format) {
    const d = detectFromHead(headBuf);
    if ('unknown' in d) {
      hooks.onSkip?.({ source: '-', offset: 0, reason: `not a mail archive: ${d.unknown}` });
      return;
    }
    format = d.format;
  }
  async function* replay(): AsyncGenerator<Buffer> {
    for (const h of head) yield h;
    if (!done) yield* reader.chunks;
  }
  const replayed: ChunkReader = { ...reader, chunks: replay() };
  if (format === 'mbox') {
    yield* splitChunks(replayed, '-', hooks);
    return;
  }
  const parts: Buffer[] = [];
  for await (const c of replayed.chunks) parts.push(c);
  const bytes = Buffer.concat(parts);
  hooks.onProgress?.({ source: '-', bytesRead: reader.bytesRead(), bytesTotal: null });
  const problem = reader.problem();
  if (problem) hooks.onSkip?.({ source: '-', offset: problem.offset, reason: problem.reason });
  if (DUMP_FORMATS.has(format)) {
    yield* readDump(bytes, format, '-', hooks);
  } else if (format === 'public-inbox') {
    hooks.onSkip?.({ source: '-', offset: 0, reason: 'a public-inbox repository cannot be read from stdin' });
  } else if (!problem && bytes.length > 0) {
    yield { kind: 'rfc822', bytes, provenance: { source: '-', format, offset: 0, length: bytes.length, line: 1 } };
  }
}

/**
 * Read every input in order and yield what it holds. See the file comment for the contract.
 * `SourceProgress` reports are per source (`bytesRead` of `bytesTotal`).
 */
export async function* readSources(paths: string[], opts: ReadSourcesOptions = {}): AsyncGenerator<RawItem> {
  for (const p of paths) {
    try {
      if (p === '-') yield* readStdin(opts);
      else yield* readPath(p, opts, true);
    } catch (err) {
      if (!(err instanceof SourceError) || !opts.onUnreadable) throw err;
      opts.onUnreadable(err);
    }
  }
}

