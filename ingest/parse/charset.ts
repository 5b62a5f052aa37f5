// Turning body and header bytes into text for whatever charset a mail declares, including the
// broken labels list archives are full of (`none`, `X-UNKNOWN`, `unknown-8bit`, misspellings).
// One function decides for both parse paths (the fast path and mailparser, through the Iconv
// hook in mime.ts), so they can never disagree about a charset.
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/** Labels that mean "UTF-8 or ASCII": decoded as UTF-8, invalid bytes become U+FFFD (as mailparser does). */
const UTF8_LABELS = new Set(['ascii', 'usascii', 'utf8']);

/** Labels that carry no information about the bytes. */
const UNKNOWN_LABELS = new Set([
  'unknown',
  'xunknown',
  'none',
  'unknown8bit',
  'xuserdefined',
  '8bit',
  '7bit',
  'default',
  'charset',
  'xunknown8bit',
]);

/** Aliases iconv-lite does not know but mailers write. */
const ALIASES: Record<string, string> = {
  ksc56011987: 'cp949',
  ksc5601: 'cp949',
  xgbk: 'gbk',
  xsjis: 'shift_jis',
  xeucjp: 'euc-jp',
  latin1: 'iso-8859-1',
  xmaccyrillic: 'maccyrillic',
  utf16: 'utf-16',
};

/** Lower-case a charset label and drop everything but letters and digits (`US-ASCII` → `usascii`). */
export function charsetKey(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** True when `decodeText` treats the label as plain UTF-8 (no conversion step). */
export function isUtf8Label(label: string | null | undefined): boolean {
  return !label || UTF8_LABELS.has(charsetKey(label));
}

/** Bytes of unknown charset: UTF-8 when they are valid UTF-8, else Windows-1252 (never loses a byte). */
export function decodeUnknown(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  return iconv.decode(bytes, 'windows-1252');
}

/**
 * Decode `bytes` written in `label`. Absent, ASCII and UTF-8 labels decode as UTF-8; a label
 * iconv-lite knows is honoured; ISO-2022-JP is decoded here; anything else (unknown, `none`,
 * `X-UNKNOWN`, garbage) falls back to UTF-8-if-valid-else-Windows-1252. Never throws.
 */
export function decodeText(bytes: Buffer, label: string | null | undefined): string {
  if (isUtf8Label(label)) return bytes.toString('utf8');
  const raw = (label ?? '').trim().replace(/^["']+|["']+$/g, '').replace(/\*.*$/, '');
  const key = charsetKey(raw);
  if (UNKNOWN_LABELS.has(key)) return decodeUnknown(bytes);
  if (key === 'iso2022jp' || key === 'iso2022jp1' || key === 'iso2022jp2' || key === 'csiso2022jp') {
    return decodeIso2022Jp(bytes);
  }
  const name = ALIASES[key] ?? raw;
  try {
    if (iconv.encodingExists(name)) return iconv.decode(bytes, name);
  } catch {
    // iconv-lite throws on some malformed labels; treated like an unknown charset.
  }
  return decodeUnknown(bytes);
}

/**
 * ISO-2022-JP (RFC 1468): ESC sequences switch between ASCII / JIS-Roman and JIS X 0208. The
 * JIS X 0208 byte pairs are moved into EUC-JP's range (high bit set) and decoded by iconv-lite.
 */
export function decodeIso2022Jp(bytes: Buffer): string {
  const out: number[] = [];
  let mode: 'ascii' | 'jis0208' | 'kana' = 'ascii';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x1b && i + 2 < bytes.length) {
      const b1 = bytes[i + 1];
      const b2 = bytes[i + 2];
      if (b1 === 0x24 && (b2 === 0x40 || b2 === 0x42)) {
        mode = 'jis0208';
        i += 2;
        continue;
      }
      if (b1 === 0x28 && (b2 === 0x42 || b2 === 0x4a)) {
        mode = 'ascii';
        i += 2;
        continue;
      }
      if (b1 === 0x28 && b2 === 0x49) {
        mode = 'kana';
        i += 2;
        continue;
      }
    }
    if (b === 0x0a || b === 0x0d) {
      mode = 'ascii';
      out.push(b);
    } else if (mode === 'jis0208' && b >= 0x21 && b <= 0x7e && i + 1 < bytes.length) {
      out.push(b | 0x80, bytes[i + 1] | 0x80);
      i += 1;
    } else if (mode === 'kana' && b >= 0x21 && b <= 0x5f) {
      out.push(0x8e, b | 0x80);
    } else {
      out.push(b);
    }
  }
  return iconv.decode(Buffer.from(out), 'euc-jp');
}
