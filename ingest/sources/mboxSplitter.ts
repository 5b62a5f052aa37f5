// Incremental mbox / mboxrd splitter: feed it chunks, get back whole messages with their byte
// offset and 1-based line in the (decompressed) stream. Memory holds one message at a time.
//
// A `From ` line starts a new message when it looks like a real separator: after a blank line
// (or at the start of the input) it must carry a date (`From addr  Wed Dec  1 08:26:40 2010`,
// `From mboxrd@z Thu Jan  1 00:00:00 1970`); without a blank line before it, only the strict
// ctime form ending the line is accepted (b4's `naked-cover-*` mboxes). A body line such as
// `From here on…` never splits. mboxrd escaping (`>From `, `>>From `…) loses one `>`.
// Text before the first separator is returned as a message of its own when it is not blank
// (a file with no separator at all is one bare RFC 822 message).

export interface SplitMessage {
  bytes: Buffer;
  /** Offset of the first byte of the message (after the separator line). */
  offset: number;
  /** 1-based line of the first message line. */
  line: number;
  /** Offset and line of the separator line, or null for text before the first separator. */
  separatorOffset: number | null;
  /** The separator line (`From …`) without its line break, or null. */
  separator: string | null;
}

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MON = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
/** A date somewhere in the line: `Wed Dec  1 08:26:40 2010`, `Wed, 1 Dec 2010 08:26:40`. */
const LOOSE_DATE = new RegExp(
  `\\b${DAY},? +(?:${MON} +\\d{1,2}|\\d{1,2} +${MON})\\b.*\\d{1,2}:\\d{2}|\\b${MON} +\\d{1,2} +\\d{1,2}:\\d{2}(?::\\d{2})? +\\d{4}`,
);
/** The strict ctime form at the end of the line, as mbox writers put it. */
const STRICT_CTIME = new RegExp(
  `^From \\S.* ${DAY} ${MON} [ \\d]?\\d \\d{1,2}:\\d{2}(?::\\d{2})?(?: [A-Z]{3,5}| [+-]\\d{4})? \\d{4}\\s*$`,
);

/** Longest line taken for a separator. */
const MAX_SEPARATOR = 1000;

/** Does this `From ` line (without line break) separate messages? */
export function isSeparatorLine(line: string, afterBlank: boolean): boolean {
  if (!line.startsWith('From ') || line.length > MAX_SEPARATOR) return false;
  if (STRICT_CTIME.test(line)) return true;
  return afterBlank && /^From \S/.test(line) && LOOSE_DATE.test(line);
}

const FROM = Buffer.from('From ');

/** Undo mboxrd quoting in place of a copy: lines `>+From ` lose one `>`. */
export function unescapeMboxrd(msg: Buffer): Buffer {
  const needle = Buffer.from('>From ');
  let idx = msg.indexOf(needle);
  if (idx < 0) return msg;
  const cuts: number[] = [];
  while (idx >= 0) {
    let s = idx;
    while (s > 0 && msg[s - 1] === 0x3e) s--;
    if (s === 0 || msg[s - 1] === 0x0a) cuts.push(s);
    idx = msg.indexOf(needle, idx + 1);
  }
  if (cuts.length === 0) return msg;
  const out = Buffer.allocUnsafe(msg.length - cuts.length);
  let o = 0;
  let from = 0;
  for (const c of cuts) {
    o += msg.copy(out, o, from, c);
    from = c + 1;
  }
  o += msg.copy(out, o, from);
  return out.subarray(0, o);
}

function countNewlines(b: Buffer, start = 0, end = b.length): number {
  let n = 0;
  let i = b.indexOf(0x0a, start);
  while (i >= 0 && i < end) {
    n++;
    i = b.indexOf(0x0a, i + 1);
  }
  return n;
}

/**
 * mbox writers end every message with an empty line before the next `From ` line (and at the
 * end of the file); that line belongs to the framing, not to the message (as git mailsplit and
 * Python's mailbox read it). Length of that line break, or 0 when the message ends otherwise.
 */
function framingNewline(b: Buffer): number {
  const n = b.length;
  if (n >= 2 && b[n - 1] === 0x0a && b[n - 2] === 0x0a) return 1;
  if (n >= 4 && b[n - 1] === 0x0a && b[n - 2] === 0x0d && b[n - 3] === 0x0a && b[n - 4] === 0x0d) return 2;
  return 0;
}

export class MboxSplitter {
  /** Scanned bytes of the current message (no separator inside). */
  private parts: Buffer[] = [];
  private partsLen = 0;
  /** Unscanned start of a line that may become a separator once complete. */
  private tail: Buffer = Buffer.alloc(0);
  /** Absolute offset of the first byte of `tail` (or of the next chunk when tail is empty). */
  private pos = 0;
  /** 1-based line number at `pos`. */
  private lineAtPos = 1;
  private atLineStart = true;
  private prevBlank = true;
  private curOffset = 0;
  private curLine = 1;
  private curSeparator: string | null = null;
  private curSeparatorOffset: number | null = null;
  /** Count of messages emitted, for callers. */
  emitted = 0;

  /** Feed a chunk; returns the messages it completed. */
  push(chunk: Buffer): SplitMessage[] {
    const out: SplitMessage[] = [];
    const data = this.tail.length ? Buffer.concat([this.tail, chunk]) : chunk;
    const base = this.pos;
    let lineBase = this.lineAtPos;
    let scanned = 0; // bytes of `data` already attributed to the current message
    let search = 0;
    let lineCountedTo = 0;
    for (;;) {
      let cand: number;
      if (search === 0 && this.atLineStart && data.length >= 5 && data.compare(FROM, 0, 5, 0, 5) === 0) cand = 0;
      else {
        const nl = data.indexOf('\nFrom ', search === 0 ? 0 : search - 1);
        cand = nl < 0 ? -1 : nl + 1;
      }
      if (cand < 0) break;
      const eol = data.indexOf(0x0a, cand);
      if (eol < 0 && data.length - cand > MAX_SEPARATOR) {
        // A line this long is no separator: take it as message text and go on mid-line, so a
        // huge line never sits in `tail` being copied again with every chunk.
        this.addPart(data.subarray(scanned));
        lineBase += countNewlines(data, lineCountedTo, data.length);
        this.tail = Buffer.alloc(0);
        this.pos = base + data.length;
        this.lineAtPos = lineBase;
        this.atLineStart = false;
        this.prevBlank = false;
        return out;
      }
      if (eol < 0) {
        // Incomplete candidate line: keep it (and everything after) for the next chunk.
        this.addPart(data.subarray(scanned, cand));
        lineBase += countNewlines(data, lineCountedTo, cand);
        lineCountedTo = cand;
        this.tail = Buffer.from(data.subarray(cand));
        this.pos = base + cand;
        this.lineAtPos = lineBase;
        this.atLineStart = true;
        this.prevBlank = this.blankBefore(data, cand);
        return out;
      }
      const lineEnd = eol > cand && data[eol - 1] === 0x0d ? eol - 1 : eol;
      const line = data.toString('latin1', cand, lineEnd);
      const afterBlank = this.blankBefore(data, cand);
      if (isSeparatorLine(line, afterBlank)) {
        this.addPart(data.subarray(scanned, cand));
        lineBase += countNewlines(data, lineCountedTo, cand);
        lineCountedTo = cand;
        const done = this.finish();
        if (done) out.push(done);
        this.curSeparator = line;
        this.curSeparatorOffset = base + cand;
        this.curOffset = base + eol + 1;
        this.curLine = lineBase + 1;
        scanned = eol + 1;
      }
      search = eol + 1;
    }
    // No separator in the rest: hold back a final partial line only if it could start one.
    const lastNl = data.lastIndexOf(0x0a);
    const partialStart = lastNl + 1;
    const partial = data.subarray(partialStart);
    const couldStart =
      partial.length > 0 &&
      partial.length < 5 &&
      (partialStart > 0 || this.atLineStart) &&
      FROM.subarray(0, partial.length).equals(partial);
    const keepFrom = couldStart ? partialStart : data.length;
    this.addPart(data.subarray(scanned, keepFrom));
    lineBase += countNewlines(data, lineCountedTo, keepFrom);
    if (keepFrom > 0) {
      const lineStart = data[keepFrom - 1] === 0x0a;
      this.prevBlank = lineStart ? this.blankBefore(data, keepFrom) : false;
      this.atLineStart = lineStart;
    }
    this.tail = couldStart ? Buffer.from(partial) : Buffer.alloc(0);
    this.pos = base + keepFrom;
    this.lineAtPos = lineBase;
    return out;
  }

  /** Flush at end of input. */
  end(): SplitMessage[] {
    if (this.tail.length) {
      this.addPart(this.tail);
      this.tail = Buffer.alloc(0);
    }
    const done = this.finish();
    return done ? [done] : [];
  }

  /** Is the line before position `i` (a line start in `data`) blank? */
  private blankBefore(data: Buffer, i: number): boolean {
    if (i === 0) return this.prevBlank && this.atLineStart;
    if (data[i - 1] !== 0x0a) return false;
    if (i === 1) return this.atLineStart; // the first line of data was empty
    if (data[i - 2] === 0x0a) return true;
    if (data[i - 2] === 0x0d) return i === 2 ? this.atLineStart : data[i - 3] === 0x0a;
    return false;
  }

  private addPart(b: Buffer): void {
    if (b.length === 0) return;
    this.parts.push(b);
    this.partsLen += b.length;
  }

  private finish(): SplitMessage | null {
    let bytes = this.partsLen ? Buffer.concat(this.parts, this.partsLen) : Buffer.alloc(0);
    if (this.curSeparator !== null) bytes = bytes.subarray(0, bytes.length - framingNewline(bytes));
    const msg: SplitMessage = {
      bytes: unescapeMboxrd(bytes),
      offset: this.curOffset,
      line: this.curLine,
      separatorOffset: this.curSeparatorOffset,
      separator: this.curSeparator,
    };
    this.parts = [];
    this.partsLen = 0;
    const isPreamble = this.curSeparator === null;
    if (isPreamble && bytes.every((b) => b === 0x0a || b === 0x0d || b === 0x20 || b === 0x09)) return null;
    this.emitted++;
    return msg;
  }
}
