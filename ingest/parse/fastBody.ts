// The fast path: a single-part text/plain mail (7bit, 8bit, binary, quoted-printable or base64,
// optionally format=flowed), which is what nearly every kernel list mail is. Its body is decoded
// here without building a MIME tree; everything else goes to mailparser (mime.ts). Both paths
// must give the same body for the same mail (checked over the peer corpus by fastBody.test.ts).
import { decodeText } from './charset.js';
import { first, parseContentType, parseParams, type HeaderBlock } from './headers.js';
import { decodeBase64, decodeFlowed, decodeQuotedPrintable } from './transfer.js';

/** A Content-Type value simple enough that our parameter parsing and mailparser's cannot differ. */
const SIMPLE_TEXT_PLAIN = /^text\/plain[ \t]*(?:;[ \t]*[a-z][a-z0-9-]*[ \t]*=[ \t]*(?:"[^"\\;]*"|[^;"\s\\]+)[ \t]*)*;?[ \t]*$/i;
const SIMPLE_CTE = /^(?:7bit|8bit|binary|quoted-printable|base64)$/i;

/** Why the fast path declines a mail, or null when it applies. */
export function fastPathRefusal(block: HeaderBlock, bytes: Buffer): string | null {
  if (!block.clean) return 'header block not clean';
  const f = block.fields;
  const ctList = f.get('content-type');
  if (ctList && ctList.length !== 1) return 'several content-type fields';
  const ct = ctList ? ctList[0] : null;
  if (ct !== null && !SIMPLE_TEXT_PLAIN.test(ct)) return 'not a simple text/plain';
  if (ct !== null && /[\x80-\xff]/.test(ct)) return 'content-type with 8-bit bytes';
  const cd = f.get('content-disposition');
  if (cd) {
    // `inline` on a text/plain root changes nothing for mailparser; a filename without a
    // Content-Type would make it guess the type from the name, and anything else is an attachment.
    if (cd.length !== 1) return 'several content-disposition fields';
    const { value, params } = parseParams(cd[0]);
    if (value !== 'inline' || /[\x80-\xff"\\]/.test(cd[0])) return 'content-disposition';
    if (ct === null && (params.filename !== undefined || params['filename*'] !== undefined)) return 'inline file without content-type';
  }
  const cteList = f.get('content-transfer-encoding');
  if (cteList && cteList.length !== 1) return 'several content-transfer-encoding fields';
  const cte = cteList ? cteList[0] : null;
  if (cte !== null && cte !== '' && !SIMPLE_CTE.test(cte)) return 'unusual transfer encoding';
  // mailparser reads base64 as 7-bit ASCII (a stray 8-bit byte becomes a letter and shifts the
  // rest); such damaged bodies are left to it so both paths keep giving the same result.
  if (cte !== null && /^base64$/i.test(cte) && hasHighByte(bytes, block.bodyStart)) return '8-bit bytes in base64';
  return null;
}

function hasHighByte(b: Buffer, from: number): boolean {
  for (let i = from; i < b.length; i++) if (b[i] > 0x7f) return true;
  return false;
}

/** Decode the body of a mail the fast path accepts (see `fastPathRefusal`). */
export function fastBody(bytes: Buffer, block: HeaderBlock): string {
  const ct = parseContentType(first(block.fields, 'content-type'));
  const cte = (first(block.fields, 'content-transfer-encoding') ?? '').toLowerCase();
  let raw = bytes.subarray(block.bodyStart);
  if (cte === 'quoted-printable') raw = decodeQuotedPrintable(raw);
  else if (cte === 'base64') raw = decodeBase64(raw);
  if ((ct.params.format ?? '').toLowerCase().trim() === 'flowed') {
    const delSp = (ct.params.delsp ?? '').toLowerCase().trim() === 'yes';
    raw = Buffer.from(decodeFlowed(raw.toString('latin1'), delSp), 'latin1');
  }
  const text = decodeText(raw, ct.params.charset ?? null);
  return text.includes('\r') ? text.replace(/\r?\n/g, '\n') : text;
}
