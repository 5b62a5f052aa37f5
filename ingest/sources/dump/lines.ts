// Lines of a text dump with their 1-based numbers and byte offsets, so messages built from a
// dump can say exactly where they came from.

export interface DumpLine {
  text: string;
  /** 1-based line number. */
  line: number;
  /** Byte offset (UTF-8) of the line start in the file. */
  offset: number;
}

export function dumpLines(text: string): DumpLine[] {
  const out: DumpLine[] = [];
  let offset = 0;
  let line = 1;
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const raw = text.slice(start, end);
    out.push({ text: raw.endsWith('\r') ? raw.slice(0, -1) : raw, line, offset });
    if (nl < 0) break;
    offset += Buffer.byteLength(raw, 'utf8') + 1;
    start = nl + 1;
    line++;
  }
  return out;
}

/** Drop leading and trailing blank lines. */
export function trimBlank(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a].trim() === '') a++;
  while (b > a && lines[b - 1].trim() === '') b--;
  return lines.slice(a, b);
}
