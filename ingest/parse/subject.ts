// Subject lines taken apart: reply/forward chains, bracket prefixes ([PATCH v3 2/7], [net,v2,1/2],
// [External]…), `(Was: …)`, version, n/m, tree tag and the subsystem prefix.
import type { SubjectInfo } from '../model.js';

/** Reply and forward markers of the mail clients seen on kernel lists (English, German, Nordic…). */
const REPLY_RE = /^(re|aw|sv|antw|vs|odp|ynt)\s*(?:\[\d+\]|\(\d+\)|\^\d+)?\s*:\s*/i;
const FORWARD_RE = /^(fwd?|wg|tr|enc)\s*(?:\[\d+\]|\(\d+\))?\s*:\s*/i;
/** Bracket prefix at the start, with an optional colon after it (`[Patch 2/2]:`). */
const BRACKET_RE = /^\[([^\[\]]{0,200})\]\s*:?\s*/;
/** Unbracketed series marker at the start: `PATCH1/8`, `PATCH 1/8:`, `PATCH v2 3/4:`. */
const BARE_PATCH_RE = /^(PATCH)\s*(v\d+\s*)?(\d+\/\d+)\s*:?\s+/i;

/** Tree / branch tags that appear in bracket prefixes. Anything ending in `-next`/`-fixes` also counts. */
const TREES = new Set([
  'net', 'bpf', 'mm-hotfixes', 'mm-unstable', 'mm-stable', 'mm-nonmm-unstable', 'stable', 'tip',
  'wireless', 'rdma', 'iwl-net', 'linus', 'mainline', 'mm',
]);

/**
 * A stable kernel a backport is posted for: `[PATCH 5.10]`, `[PATCH AUTOSEL 5.3 24/87]` (Sasha
 * Levin's automatic stable selection, seen on linuxppc-dev), `[PATCH 6.1.y]`, `[PATCH 2.6.32]`,
 * `[PATCH linux-5.4.y]`, `[PATCH 4.4-stable]`; the group is the kernel.
 */
const STABLE_KERNEL_TAG = /^(?:linux-)?(\d\.\d{1,2}(?:\.\d{1,3})?)(?:\.y|-stable)?$/i;

/**
 * The stable kernel a posting is a backport for, from its bracket tags: `5.3` for `[PATCH AUTOSEL
 * 5.3 24/87]`, `[PATCH 5.3.y]` or `[PATCH 5.3-stable]`; `stable` for a bare `[PATCH stable]`; null
 * for mainline postings (no such tag; a development tree such as `net-next` is not one, nor a
 * merge window: `[PATCH for 5.2 10/12]`, seen on linuxppc-dev, aims at mainline 5.2). Read from the
 * tags rather than `tree`, so subjects stored before stable tags were trees count too.
 */
export function stableTargetOf(s: Pick<SubjectInfo, 'tags'>): string | null {
  let bare = false;
  for (const [i, tag] of s.tags.entries()) {
    const m = STABLE_KERNEL_TAG.exec(tag);
    if (m && s.tags[i - 1]?.toLowerCase() !== 'for') return m[1];
    if (tag.toLowerCase() === 'stable') bare = true;
  }
  return bare ? 'stable' : null;
}

function isTreeTag(tok: string): boolean {
  const t = tok.toLowerCase();
  if (STABLE_KERNEL_TAG.test(t)) return true;
  if (t === '-next' || t === 'next' || t === '-mm') return true;
  if (/^[a-z0-9][a-z0-9.-]*-(next|fixes|hotfixes|unstable|stable|rc)$/.test(t)) return true;
  if (/^-[a-z0-9]+$/.test(t)) return true;
  return TREES.has(t);
}

function emptyInfo(raw: string): SubjectInfo {
  return {
    raw,
    normalized: '',
    replyDepth: 0,
    isReply: false,
    tags: [],
    isPatch: false,
    isRfc: false,
    isResend: false,
    tree: null,
    version: null,
    index: null,
    total: null,
    subsystem: null,
    was: null,
  };
}

/** Tokens of one bracket prefix: `PATCH v3 2/7`, `net,v2,1/2`, `PATCH 1 of 2`, `PATCHv2`. */
function bracketTokens(inner: string): string[] {
  const words = inner
    .split(/[\s,]+/)
    .map((w) => w.trim())
    .filter((w) => w.length > 0);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    // Mercurial `1 of 2` → `1/2`.
    if (/^\d+$/.test(w) && words[i + 1]?.toLowerCase() === 'of' && /^\d+$/.test(words[i + 2] ?? '')) {
      out.push(`${w}/${words[i + 2]}`);
      i += 2;
      continue;
    }
    // Glued forms: `PATCHv2`, `PATCH1/8`, `RFCv3`, and `PATCHv3.1`, one patch of v3 updated in
    // place (Kirill Shutemov's unaccepted-memory series, linux-efi).
    const glued = /^(PATCH|RFC|RESEND)(v\d+(?:\.\d+)?|\d+\/\d+)$/i.exec(w);
    if (glued) {
      out.push(glued[1], glued[2]);
      continue;
    }
    out.push(w);
  }
  return out;
}

function applyToken(info: SubjectInfo, tok: string): void {
  const t = tok.toLowerCase();
  let m: RegExpExecArray | null;
  if (t === 'patch' || t === 'patches' || t === 'patchv') info.isPatch = true;
  else if (t === 'rfc') info.isRfc = true;
  else if (t === 'resend') info.isResend = true;
  else if ((m = /^v(\d{1,4})(?:\.\d+)?$/i.exec(tok))) {
    if (info.version === null) info.version = Number(m[1]);
  } else if ((m = /^(\d{1,5})\/(\d{1,5})$/.exec(tok))) {
    if (info.index === null) {
      info.index = Number(m[1]);
      info.total = Number(m[2]);
    }
  } else if (info.tree === null && isTreeTag(tok)) info.tree = tok;
}

/** Cut `(Was: …)`, `[was: …]`, `, was: …` out of the subject; returns the rest and the old subject. */
function cutWas(s: string): { rest: string; was: string | null } {
  const open = /[(\[]\s*was\s*:?\s+/i.exec(s);
  if (open) {
    const closer = open[0][0] === '(' ? ')' : ']';
    let depth = 1;
    let i = open.index + open[0].length;
    for (; i < s.length; i++) {
      const c = s[i];
      if (c === open[0][0]) depth++;
      else if (c === closer && --depth === 0) break;
    }
    const was = s.slice(open.index + open[0].length, i).trim();
    const rest = (s.slice(0, open.index) + s.slice(i + 1)).trim();
    return { rest, was: was || null };
  }
  const dash = /\s*(?:[-,;]\s*|\s)was\s*:\s+(.+)$/i.exec(s);
  if (dash && dash.index > 0) return { rest: s.slice(0, dash.index).trim(), was: dash[1].trim() || null };
  return { rest: s, was: null };
}

/** `arm64/mm`, `mm/sparsemem`, `mm, memory_hotplug`: the prefix before `: ` when it looks like one. */
function findSubsystem(s: string): string | null {
  const m = /^([A-Za-z0-9_.+-]+(?:\/[A-Za-z0-9_.+-]+)*(?:,\s*[A-Za-z0-9_.+-]+(?:\/[A-Za-z0-9_.+-]+)*)*)\s*:\s*\S/.exec(s);
  if (!m) return null;
  // Not a subsystem: a version or ratio (`1/2:`), or an URL scheme.
  if (/^\d+(\/\d+)?$/.test(m[1]) || /^(https?|ftp|git)$/i.test(m[1])) return null;
  return m[1];
}

/** Parse a (decoded) subject. Never throws. */
export function parseSubject(raw: string): SubjectInfo {
  const text = typeof raw === 'string' ? raw : String(raw);
  try {
    return parseSubjectUnsafe(text);
  } catch {
    const info = emptyInfo(text);
    info.normalized = text.trim();
    return info;
  }
}

function parseSubjectUnsafe(raw: string): SubjectInfo {
  const info = emptyInfo(raw);
  let s = raw.slice(0, 4096).replace(/\s+/g, ' ').trim();
  for (let guard = 0; guard < 64; guard++) {
    let m: RegExpExecArray | null;
    if ((m = REPLY_RE.exec(s))) {
      info.replyDepth += 1;
      info.isReply = true;
      s = s.slice(m[0].length);
    } else if ((m = FORWARD_RE.exec(s))) {
      info.replyDepth += 1;
      s = s.slice(m[0].length);
    } else if ((m = BRACKET_RE.exec(s))) {
      const toks = bracketTokens(m[1]);
      for (const t of toks) {
        info.tags.push(t);
        applyToken(info, t);
      }
      s = s.slice(m[0].length);
    } else if ((m = BARE_PATCH_RE.exec(s))) {
      const toks = [m[1], ...(m[2] ? [m[2].trim()] : []), m[3]];
      for (const t of toks) {
        info.tags.push(t);
        applyToken(info, t);
      }
      s = s.slice(m[0].length);
    } else break;
  }
  const cut = cutWas(s);
  s = cut.rest;
  info.was = cut.was;
  // Trailing `(v2)` / `[v2]` version markers.
  const tailVersion = /\s*[(\[]\s*v(\d{1,4})\s*[)\]]\s*$/i.exec(s);
  if (tailVersion) {
    if (info.version === null) info.version = Number(tailVersion[1]);
    s = s.slice(0, tailVersion.index);
  }
  info.normalized = s.replace(/\s+/g, ' ').trim();
  info.subsystem = findSubsystem(info.normalized);
  return info;
}
