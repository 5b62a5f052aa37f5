// Navigation that archive pages put around a message and that survives a text copy:
// hypermail (lkml.iu.edu) `Next message:` / `In reply to:` / `Messages sorted by:` lines,
// lkml.org's `[lkml] [2023] [Apr] [7]` trail and `Last update:` footer, mail-archive.com's
// `Reply via email to` and message navigation. It is not part of the
// message; it is cut from the body and kept verbatim so nothing vanishes silently.

const CHROME = [
  /^\s*[-*•]?\s*(?:Next message|Previous message|In reply to|Maybe in reply to|Next in thread|Reply|Messages sorted by)\s*:/i,
  /^\s*\[lkml\]\s+\[\d{4}\]/i,
  /^\s*Last update:\s*\d{4}-\d{2}-\d{2}/i,
  /^\s*\[?\s*(?:last100|Hide message|View message)\b/i,
  // mail-archive.com
  /^\s*Reply via email to\b/i,
  /^\s*(?:Previous message|Next message|View by thread|View by date)\s*$/i,
];

export function isChromeLine(line: string): boolean {
  return CHROME.some((re) => re.test(line));
}

/** Cut chrome lines (and the blank lines between them) from the start and end of a body. */
export function stripChrome(lines: string[]): { body: string[]; chrome: string[] } {
  let a = 0;
  let b = lines.length;
  const head: string[] = [];
  const tail: string[] = [];
  while (a < b && (lines[a].trim() === '' || isChromeLine(lines[a]))) {
    if (lines[a].trim() !== '') head.push(lines[a]);
    a++;
  }
  while (b > a && (lines[b - 1].trim() === '' || isChromeLine(lines[b - 1]))) {
    if (lines[b - 1].trim() !== '') tail.unshift(lines[b - 1]);
    b--;
  }
  return { body: lines.slice(a, b), chrome: [...head, ...tail] };
}
