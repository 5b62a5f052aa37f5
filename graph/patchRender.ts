// Text renderings of the patch graph for the terminal: Markdown-ish, one fact per line, every
// link with the rule that made it.
import type { Message } from '../ingest/model.js';
import { splitLines } from '../ingest/segment/diff.js';
import { quoteInfo } from '../ingest/segment/quoting.js';
import type { HunkView, MessageDerivation, PatchMemberRecord, RevisionRecord, SeriesView } from './patches.js';
import { revisionName } from './patchViews.js';
import { displayAddress } from './store.js';

function pad(n: number | null, total: number | null): string {
  if (n === null) return '--';
  const w = String(total ?? n).length;
  return String(n).padStart(Math.max(2, w), '0');
}

/** `09/12` for a numbered patch, `cover` for a cover letter, `--` when unnumbered. */
export function slot(p: PatchMemberRecord, cover = false): string {
  if (cover) return 'cover';
  return p.total === null && p.index === null ? '--' : `${pad(p.index, p.total)}/${pad(p.total, p.total)}`;
}

function day(iso: string | null): string {
  return iso ? iso.slice(0, 10) : '????-??-??';
}

function mail(p: PatchMemberRecord): string {
  if (p.msgid) return `<${p.msgid}>`;
  return '(not in archive; seen in replies)';
}

function memberLine(s: SeriesView, r: RevisionRecord, p: PatchMemberRecord, cover: boolean): string[] {
  const out = [`- ${slot(p, cover).padEnd(5)} ${p.title}  ${mail(p)}  [${p.rule}]`];
  const mine = s.trailers.filter((x) => x.revision === r.key && x.patch === p.key);
  // Cc lines of the patch's own block are recipients, not review: counted, not listed.
  const ccs = mine.filter((t) => t.via === 'own' && t.name === 'Cc').length;
  for (const t of mine) {
    if (t.via === 'own' && t.name === 'Cc') continue;
    // A mismatch says who sent it: often the same reviewer writing from another address.
    const flag =
      t.status === 'mismatched'
        ? `  MISMATCHED (not applied; sent by ${t.givenBy || 'an unknown sender'} in <${t.givenIn}>)`
        : t.status === 'own'
          ? ''
          : `  (${t.status}, via ${t.via} <${t.givenIn}>)`;
    out.push(`    ${t.text}${flag}`);
  }
  if (ccs) out.push(`    (+${ccs} Cc)`);
  return out;
}

/** Where a member key sits: `v8 09/12`. */
function place(s: SeriesView, revisionKey: string, memberKey: string): { label: string; title: string } {
  const r = s.revisions.find((x) => x.key === revisionKey);
  const p = r?.patches.find((x) => x.key === memberKey) ?? (r?.cover?.key === memberKey ? r.cover : undefined);
  if (!r || !p) return { label: `${revisionKey} ${memberKey}`, title: '' };
  return { label: `${revisionName(r)} ${slot(p, r.cover?.key === memberKey && !r.patches.includes(p))}`, title: p.title };
}

export function renderSeries(s: SeriesView): string {
  const authors = [...new Set(s.revisions.map((r) => r.author).filter((a): a is string => !!a))];
  const lines = [`## ${s.title}`, `key ${s.key} · ${s.revisions.length} revision${s.revisions.length === 1 ? '' : 's'}${authors.length ? ` · ${authors.join(', ')}` : ''}`];
  for (const r of s.revisions) {
    lines.push('', `### ${revisionName(r)}${r.total !== null ? ` (${r.total} patches)` : ''} · ${day(r.date)} · ${r.key}`, `${r.evidence}${r.changeId ? ` · change-id ${r.changeId}` : ''}`);
    if (r.cover) lines.push(...memberLine(s, r, r.cover, true));
    for (const p of r.patches) lines.push(...memberLine(s, r, p, false));
  }
  if (s.next.length) {
    lines.push('', 'Versions:');
    for (const n of s.next) {
      const a = s.revisions.find((r) => r.key === n.from);
      const b = s.revisions.find((r) => r.key === n.to);
      lines.push(`- ${a ? revisionName(a) : '?'} → ${b ? revisionName(b) : '?'}  [${n.rule}] ${n.evidence}`);
    }
  }
  if (s.lineage.length) {
    lines.push('', 'Lineage:');
    for (const l of s.lineage) {
      const a = place(s, l.fromRevision, l.from);
      const b = place(s, l.toRevision, l.to);
      lines.push(`- ${a.label} → ${b.label}  "${b.title}"  [${l.rule}, ${l.score.toFixed(2)}]${a.title !== b.title ? ` (was "${a.title}")` : ''}`);
    }
  }
  return lines.join('\n');
}

function range(h: { oldStart: number; oldLines: number; newStart: number; newLines: number }): string {
  return `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`;
}

function indent(text: string, by = '    '): string {
  return text
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

export function renderHunk(h: HunkView): string {
  const lines = [`## ${h.file ?? '(no path)'} ${range(h)}${h.functionName ? ` ${h.functionName}` : ''}`];
  if (h.kind === 'patch') {
    lines.push(`patch: ${h.subject}  <${h.msgid}>  ${h.from}, ${day(h.date)}${h.source !== 'body' ? ` (${h.source})` : ''}`);
    if (h.series) lines.push(`series: ${h.series.title} · v${h.series.version} ${h.series.index !== null ? `${pad(h.series.index, h.series.total)}/${pad(h.series.total, h.series.total)}` : ''} · ${h.series.key}`);
  } else {
    lines.push(`quoted (depth ${h.depth}) in: ${h.subject}  <${h.msgid}>  ${h.from}, ${day(h.date)} (not matched to a stored patch)`);
  }
  if (h.comments.length) {
    lines.push('comments under its lines:');
    for (const c of h.comments) {
      const at = c.newLine !== null ? `new line ${c.newLine}` : c.oldLine !== null ? `old line ${c.oldLine}` : 'a line';
      const quoted = c.commentDepth ? ` (comment quoted at depth ${c.commentDepth})` : '';
      lines.push(`- ${c.from}, ${day(c.date)}  <${c.msgid}>  on ${at}: \`${c.lineText.trim()}\`${quoted}`, indent(c.comment));
    }
  } else lines.push('comments under its lines: none');
  const unanchored = h.replies.filter((r) => !h.comments.some((c) => c.msgid === r.msgid));
  if (unanchored.length) {
    lines.push('other replies to the patch (not anchored to a line):');
    for (const r of unanchored) lines.push(`- ${day(r.date)}  ${r.from}  <${r.msgid}>  [${r.rule}]`);
  }
  return lines.join('\n');
}

const QUOTE_PREVIEW = 6;

/** One message, segment by segment. */
export function renderShow(m: Message, d: MessageDerivation | null): string {
  const out = [`# ${m.subject.raw || '(no subject)'}`, `From: ${displayAddress(m.from)}`, `Date: ${m.date ?? '(unknown)'}`, `Message-ID: <${m.msgid}>`];
  if (!d) {
    out.push('', '(not derived yet: run `loregraph ingest` to segment it)');
    return out.join('\n');
  }
  const lines = splitLines(m.body);
  const text = (from: number, to: number): string[] => lines.slice(from, to + 1);
  for (const s of d.segments) {
    const span = `lines ${s.startLine + 1}-${s.endLine + 1}`;
    const body = text(s.startLine, s.endLine);
    switch (s.kind) {
      case 'text':
        if (body.every((l) => l.trim() === '')) continue;
        out.push('', `## own text (${span})`, ...body);
        break;
      case 'attribution':
        out.push('', `## attribution (${span})${s.quotes ? ` → <${s.quotes}>` : ''}`, ...body);
        break;
      case 'quote':
      case 'quoted-diff': {
        const from = s.quotes ? `quotes <${s.quotes}>` : 'quoted message not identified in the archive';
        out.push('', `## ${s.kind === 'quote' ? 'quote' : 'quoted diff'}, depth ${s.depth}${s.markersLost ? ' (markers lost)' : ''} (${span}) — ${from}`);
        out.push(...body.slice(0, QUOTE_PREVIEW).map((l) => (s.markersLost ? `> ${l}` : l)));
        if (body.length > QUOTE_PREVIEW) out.push(`… ${body.length - QUOTE_PREVIEW} more lines`);
        break;
      }
      case 'diff':
      case 'diffstat':
        out.push('', `## ${s.kind} (${span})`);
        break;
      case 'trailers':
        out.push('', `## trailers (${span})`, ...body);
        break;
      case 'signature':
      case 'footer':
        out.push('', `## ${s.kind} (${span})`, ...body);
        break;
    }
  }
  const own = d.hunks.filter((h) => h.kind === 'patch');
  if (own.length) {
    out.push('', '## hunks');
    for (const h of own) out.push(`- ${h.file ?? '(no path)'} ${range(h)}${h.functionName ? ` ${h.functionName}` : ''}${h.source !== 'body' ? ` (${h.source})` : ''}`);
  }
  const quoted = d.hunks.filter((h) => h.kind === 'quoted');
  if (quoted.length) {
    out.push('', '## quoted hunks');
    for (const h of quoted) out.push(`- ${h.file ?? '(no path)'} ${range(h)}${h.functionName ? ` ${h.functionName}` : ''} (depth ${h.depth}, lines ${h.startLine + 1}-${h.endLine + 1})`);
  }
  if (d.trailers.length) {
    out.push('', '## trailers given');
    for (const t of d.trailers) out.push(`- ${t.name}: ${t.value}  (${t.role === 'patch' ? "patch's trailer block" : 'follow-up'}, line ${t.line + 1})`);
  }
  if (d.comments.length) {
    out.push('', '## comments anchored to quoted hunks');
    for (const c of d.comments) {
      const target = c.rule === 'patch' ? `patch <${c.hunkMsgid}>` : 'the quoted hunk';
      const at = c.newLine !== null ? `new line ${c.newLine}` : c.oldLine !== null ? `old line ${c.oldLine}` : 'a line';
      out.push(`- ${c.file ?? '(no path)'} ${at} of ${target}: \`${c.lineText.trim()}\` (confidence ${c.confidence})`);
      out.push(indent(c.comment.split('\n').map((l) => (c.commentDepth ? `> ${quoteInfo(l).content}` : l)).join('\n')));
    }
  }
  return out.join('\n');
}
