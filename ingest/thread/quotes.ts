// Quoted text versus own text of a reply, and word-shingle sets to compare them across
// messages. Shingles survive re-wrapping and lost or mangled quote markers, which line
// comparison does not.

/** Number of `>` markers that open a line (`> > >`, `>>>`, ` > `). */
export function quoteDepth(line: string): number {
  const m = /^\s*((?:>\s?)+)/.exec(line);
  if (!m) return 0;
  let n = 0;
  for (const c of m[1]) if (c === '>') n++;
  return n;
}

const ATTRIBUTION_LIKE = /^(On\s.+\bwrote\s*:?|Am\s.+\bschrieb\b.*|.{2,100}\swrote\s*:)\s*$/i;

export interface BodyParts {
  /** The replier's own lines (depth 0, without attribution lines and signature). */
  own: string[];
  /** Quoted lines with their markers removed. */
  quoted: string[];
  /** True when the body has attribution lines but not a single `>`: an archive lost the markers. */
  lostMarkers: boolean;
}

/**
 * Split a body into own and quoted text. Some archives replace one level of `>` runs by a space,
 * so in a body that has `>` quotes a block of lines opening with one space that touches a quoted
 * line counts as quoted too.
 */
export function splitBody(body: string): BodyParts {
  const lines = body.split(/\r?\n/);
  const depth = lines.map(quoteDepth);
  const hasMarkers = depth.some((d) => d > 0);
  const quotedFlag = depth.map((d) => d > 0);
  if (hasMarkers) {
    let i = 0;
    while (i < lines.length) {
      if (depth[i] === 0 && /^ \S/.test(lines[i])) {
        let j = i;
        while (j < lines.length && depth[j] === 0 && /^ \S/.test(lines[j])) j++;
        const before = prevNonEmpty(lines, i - 1);
        const after = nextNonEmpty(lines, j);
        const touches = (before >= 0 && depth[before] > 0) || (after >= 0 && depth[after] > 0);
        if (touches) for (let k = i; k < j; k++) quotedFlag[k] = true;
        i = j;
      } else i++;
    }
  }
  const own: string[] = [];
  const quoted: string[] = [];
  let inSignature = false;
  let sawAttribution = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (quotedFlag[i]) {
      quoted.push(line.replace(/^\s*(?:>\s?)+/, '').trim());
      continue;
    }
    const t = line.trim();
    if (/^--\s?$/.test(line) && lines.length - i <= 8) inSignature = true;
    if (inSignature) continue;
    if (ATTRIBUTION_LIKE.test(t)) {
      sawAttribution = true;
      continue;
    }
    own.push(t);
  }
  return { own, quoted, lostMarkers: !hasMarkers && sawAttribution };
}

function prevNonEmpty(lines: string[], i: number): number {
  for (let k = i; k >= 0; k--) if (lines[k].trim() !== '' && lines[k].trim() !== '>') return k;
  return -1;
}
function nextNonEmpty(lines: string[], i: number): number {
  for (let k = i; k < lines.length; k++) if (lines[k].trim() !== '' && lines[k].trim() !== '>') return k;
  return -1;
}

/** Shingle width: runs of this many words identify a passage. */
export const SHINGLE = 4;

/** Lower-case word tokens; punctuation and quote markers dropped. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
}

/** Word shingles of a text (joined over line breaks, so re-wrapping does not matter). */
export function shingles(lines: string[] | string, k = SHINGLE): Set<string> {
  const text = Array.isArray(lines) ? lines.join(' ') : lines;
  const w = words(text);
  const out = new Set<string>();
  for (let i = 0; i + k <= w.length; i++) out.add(w.slice(i, i + k).join(' '));
  return out;
}

/** |a ∩ b|. */
export function overlap(a: Set<string>, b: Set<string>): number {
  let n = 0;
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (big.has(x)) n++;
  return n;
}

/** Share of `part` found in `whole` (0 when `part` is empty). */
export function containment(part: Set<string>, whole: Set<string>): number {
  if (part.size === 0) return 0;
  let n = 0;
  for (const x of part) if (whole.has(x)) n++;
  return n / part.size;
}

/** `a` minus `b`. */
export function minus(a: Set<string>, b: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const x of a) if (!b.has(x)) out.add(x);
  return out;
}
