// Mailing-list footers appended by list software to the end of every body: mailman's
// `____…` block, vger's majordomo "To unsubscribe" block, Google Groups and groups.io notices.
// They are cut from the body (so trailers and quotes are not confused with them) and returned
// verbatim, outermost last, so nothing is lost.

interface FooterRule {
  name: string;
  /** Literal text every such footer contains: the rule's regexes only run when it is in the tail. */
  marker: string;
  /** Finds where the footer starts in the tail of the body; -1 when it is not there. */
  find(body: string): number;
}

/** How much of the end of the body a footer may occupy. */
const MAX_FOOTER_CHARS = 2000;

function tailStart(body: string): number {
  return Math.max(0, body.length - MAX_FOOTER_CHARS);
}

/** Index of the last match of `re` (global, multiline) starting in the tail, or -1. */
function lastMatch(body: string, re: RegExp): number {
  const from = tailStart(body);
  const tail = body.slice(from);
  let idx = -1;
  re.lastIndex = 0;
  for (let m = re.exec(tail); m; m = re.exec(tail)) {
    idx = m.index;
    if (m[0].length === 0) re.lastIndex++;
  }
  return idx < 0 ? -1 : from + idx;
}

const RULES: FooterRule[] = [
  {
    // Mailman 2/3: a rule of underscores, the list name, its address and the listinfo URL.
    name: 'mailman',
    marker: '____________________',
    find(body) {
      const at = lastMatch(body, /^_{20,}[ \t]*\r?\n/gm);
      if (at < 0) return -1;
      const rest = body.slice(at).split('\n').slice(1);
      const meaningful = rest.filter((l) => l.trim() !== '');
      if (meaningful.length === 0 || meaningful.length > 8) return -1;
      const text = meaningful.join('\n');
      if (!/mailing list|listinfo|\/mailman\/|lists?\.|To unsubscribe/i.test(text)) return -1;
      return at;
    },
  },
  {
    // vger.kernel.org majordomo footer (older LKML / netdev mails).
    name: 'vger',
    marker: 'To unsubscribe from this list',
    find(body) {
      const at = lastMatch(body, /^(?:--[ \t]*\r?\n)?To unsubscribe from this list: send the line "unsubscribe /gm);
      if (at < 0) return -1;
      const rest = body.slice(at);
      if (rest.split('\n').filter((l) => l.trim()).length > 7) return -1;
      return at;
    },
  },
  {
    name: 'google-groups',
    marker: 'You received this message because',
    find(body) {
      const at = lastMatch(
        body,
        /^(?:--[ \t]*\r?\n)?You received this message because you are subscribed to the Google Groups /gm,
      );
      return at;
    },
  },
  {
    name: 'groups.io',
    marker: 'Groups.io Links:',
    find(body) {
      const at = lastMatch(body, /^-=-=-=-=-=-=-=-=-=-=-=-[^\n]*\r?\n(?:[^\n]*\n){0,3}[^\n]*Groups\.io Links:/gm);
      return at;
    },
  },
];

/** Trailing line breaks cut down to one (none when nothing else is left). */
function keepOneNewline(s: string): string {
  let end = s.length;
  while (end > 0 && (s.charCodeAt(end - 1) === 0x0a || s.charCodeAt(end - 1) === 0x0d)) end--;
  if (end === s.length) return s;
  if (s.slice(0, end).trim() === '') return '';
  return `${s.slice(0, end)}\n`;
}

export interface FooterSplit {
  body: string;
  /** Removed footers in the order they appeared in the mail. */
  footers: string[];
}

/**
 * Remove list footers from the end of `body`, repeatedly (a mail can pass several lists).
 * The body keeps its text up to the footer, minus the blank lines that separated them.
 */
export function stripFooters(body: string): FooterSplit {
  const footers: string[] = [];
  let rest = body;
  for (let guard = 0; guard < 8; guard++) {
    let best = -1;
    const tailFrom = tailStart(rest);
    for (const rule of RULES) {
      if (rest.indexOf(rule.marker, tailFrom) < 0) continue;
      const at = rule.find(rest);
      if (at > best) best = at;
    }
    if (best < 0) break;
    footers.unshift(rest.slice(best));
    rest = keepOneNewline(rest.slice(0, best));
  }
  return { body: rest, footers };
}
