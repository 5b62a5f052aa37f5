// A compact stand-in for a message, for the whole-store series steps (grouping, versions, lineage,
// trailer attribution), so they can run over every message without holding every body.
//
// The series steps read of a body only: whether it carries a diff, a `change-id:` line, the trailer
// block above the patch, a reply's own trailers, and the files, hunk functions and changed lines of
// its diff. The digest keeps every kept line at its place (so line numbers stay true) and of its
// lines only: the trailers (and the line after a reply's own ones), `---` separators, `change-id:`
// lines and diff structure verbatim;
// changed lines as `+`/`-` and a 16-hex-digit hash of their whitespace-normalised text (diff
// similarity compares exactly that text, so equal lines stay equal); context lines blank (the diff
// parser reads a blank line inside a hunk as context). Recipients, the list id and where the
// message was read from are dropped (identities are gathered while streaming). `digest.test.ts`
// checks that the series analysis of digests equals the analysis of the full messages.
import v8 from 'node:v8';
import type { Attachment, Message } from '../model.js';
import { changeIdOf, hasDiff } from '../series/classify.js';
import { findTrailerBlock, followupTrailers, parseDiffLines, splitLines, type Trailer } from '../segment/index.js';

/** Two 32-bit FNV-1a passes with different offsets: 16 hex digits, collisions negligible here. */
function hash16(s: string): string {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 13);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

const PATCH_MARKER: Attachment = { filename: null, contentType: 'text/x-patch', size: 0, text: null, isPatch: true };
const KEEP = /^(?:---\s*$|change-id:)/i;

/** What the derivation of a message already computed, so the digest does not compute it again. */
export interface DigestInputs {
  /** `splitLines(m.body)`. */
  lines: string[];
  /** `findTrailerBlock(lines)`. */
  trailerBlock: [number, number] | null;
  /** `followupTrailers(m.body, segments)`. */
  followups: Trailer[];
}

/** The compact stand-in of `m` (see the module comment); `known` saves computing its parts twice. */
export function digestMessage(m: Message, known?: DigestInputs): Message {
  const lines = known?.lines ?? splitLines(m.body);
  const out: string[] = new Array<string>(lines.length).fill('');
  const keep = (from: number, to: number): void => {
    for (let i = Math.max(0, from); i <= to && i < lines.length; i++) out[i] = lines[i];
  };
  for (let i = 0; i < lines.length; i++) if (KEEP.test(lines[i])) out[i] = lines[i];

  // Diff structure verbatim, changed lines hashed, context blank. Only the body's diffs: the
  // series steps parse the body (attachments only tell that a message is a patch).
  for (const f of parseDiffLines(lines)) {
    keep(f.startLine, f.endLine);
    for (const h of f.hunks) {
      for (const l of h.lines) {
        if (l.kind === 'context') out[l.line] = '';
        else if (l.kind === 'add' || l.kind === 'del') {
          const t = l.text.replace(/\s+/g, ' ').trim();
          if (t.length > 2) out[l.line] = (l.kind === 'add' ? '+' : '-') + hash16(t);
        }
      }
    }
  }

  const block = known ? known.trailerBlock : findTrailerBlock(lines);
  if (block) keep(block[0], block[1]);
  // A reply's own trailers, and the first line after each: whether that line is a `---` or a diff
  // decides if the block signs a patch rather than reviews one, so it must not turn blank.
  for (const t of known?.followups ?? followupTrailers(m.body)) {
    keep(t.line, t.endLine);
    let next = t.endLine + 1;
    while (next < lines.length && lines[next].trim() === '') next++;
    if (next < lines.length && out[next] === '') out[next] = lines[next];
  }

  // Blank lines after the last kept one tell the series steps nothing: dropped (most replies keep
  // no line at all and digest to an empty body).
  let last = out.length - 1;
  while (last >= 0 && out[last] === '') last--;
  const changeId = changeIdOf(m);
  return {
    ...m,
    to: [],
    cc: [],
    body: last < 0 ? '' : out.slice(0, last + 1).join('\n'),
    dateRaw: null,
    listId: null,
    // Where the message was read from (the path, public-inbox's commit and blob ids: ~260 bytes of
    // each digest's ~2.5 KB) tells the series steps nothing; the format is kept.
    provenance: { source: '', format: m.provenance.format, offset: m.provenance.offset },
    footers: [],
    attachments: hasDiff(m) ? [PATCH_MARKER] : [],
    extraHeaders: changeId ? { 'change-id': changeId } : {},
  };
}

/**
 * A digest as bytes (`v8.serialize`): what a derive worker sends back and the digest store keeps.
 * A plain Uint8Array, as a worker's result arrives (a Buffer would arrive as one), over exactly its
 * bytes, since sending a typed array copies all of the memory it views.
 */
export function packDigest(d: Message): Uint8Array {
  const b = v8.serialize(d);
  return b.byteOffset === 0 && b.buffer.byteLength === b.byteLength ? new Uint8Array(b.buffer) : Uint8Array.prototype.slice.call(b);
}

export function unpackDigest(bytes: Uint8Array): Message {
  return v8.deserialize(bytes) as Message;
}
