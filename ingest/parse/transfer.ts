// Content-Transfer-Encoding and format=flowed decoding for the fast path. The rules follow what
// mailparser does for the same input (so both paths give the same body): QP drops trailing
// blanks and soft breaks and keeps a malformed `=` as is; base64 ignores everything outside its
// alphabet and decodes each `=`-padded segment on its own.

const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[0x41 + i] = 10 + i;
  HEX[0x61 + i] = 10 + i;
}

/**
 * Decode a quoted-printable body. Never throws. The steps are libqp's (mailparser's decoder), in
 * its order, so both parse paths agree on every input: blanks before any line end (a bare CR
 * counts: a JS multiline `$` matches before it) are dropped, then soft breaks (`=` before CRLF, LF
 * or the end of the input), then `=XX` escapes are decoded, also those a soft break joined.
 */
export function decodeQuotedPrintable(input: Buffer): Buffer {
  const text = input.toString('latin1').replace(/[\t ]+$/gm, '').replace(/=(?:\r?\n|$)/g, '');
  const out = Buffer.allocUnsafe(text.length);
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d && i + 2 < text.length) {
      const h = HEX[text.charCodeAt(i + 1)];
      const l = HEX[text.charCodeAt(i + 2)];
      if (h >= 0 && l >= 0) {
        out[o++] = (h << 4) | l;
        i += 2;
        continue;
      }
    }
    out[o++] = c;
  }
  return out.subarray(0, o);
}

/** Decode a base64 body, tolerating line breaks, junk characters and padding in the middle. */
export function decodeBase64(input: Buffer): Buffer {
  const clean = input.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, '');
  if (!clean.includes('=')) return Buffer.from(clean, 'base64');
  const parts: Buffer[] = [];
  for (const seg of clean.split(/=+/)) if (seg) parts.push(Buffer.from(seg, 'base64'));
  return Buffer.concat(parts);
}

/**
 * Undo format=flowed (RFC 3676) on text held one char per byte. Each line is read as quote marks,
 * an optional stuffing space, then content (section 4.5: the stuffing space after the quote marks
 * is not content); a line whose content ends in a space is flowed, except the signature separator
 * `-- `, and joins the next line only when that line has the same quote depth (a change of depth
 * ends a paragraph) — with `delSp` the trailing space is dropped. Lines come out as quote marks,
 * one space, content (just the marks for empty quoted lines).
 */
export function decodeFlowed(text: string, delSp: boolean): string {
  const out: string[] = [];
  let cur: { depth: number; content: string } | null = null;
  const flush = (): void => {
    if (!cur) return;
    out.push(cur.depth === 0 ? cur.content : '>'.repeat(cur.depth) + (cur.content ? ' ' + cur.content : ''));
    cur = null;
  };
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    const depth = /^>*/.exec(line)![0].length;
    let content = line.slice(depth);
    if (content.startsWith(' ')) content = content.slice(1);
    if (cur && cur.depth === depth) {
      cur.content = (delSp ? cur.content.slice(0, -1) : cur.content) + content;
    } else {
      flush();
      cur = { depth, content };
    }
    const flowed = cur.content.endsWith(' ') && cur.content !== '-- ';
    if (!flowed) flush();
  }
  flush();
  return out.join('\n');
}
