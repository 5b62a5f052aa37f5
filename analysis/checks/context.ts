// Thread context for claims: which messages form a thread (same normalised subject within one set
// of messages), when the patch under review was posted, which architecture it is about, and the
// text just before a claim (what "#3 and #4" or "After memunmap (poisoning):" refer to).
import type { Claim } from '../claims/index.js';
import type { Message } from '../../ingest/model.js';
import type { Arch, ClaimContext, ThreadContext } from './types.js';

const ARM64 = /\barm64\b|\baarch64\b|arch\/arm64\//i;
const X86 = /\bx86(?:_64)?\b|arch\/x86\//i;

function archOf(messages: readonly Message[], subjectSubsystem: string | null): { arch: Arch | null; why: string } {
  if (subjectSubsystem && /^arm64\b/i.test(subjectSubsystem)) return { arch: 'arm64', why: `the subject's subsystem is ${subjectSubsystem}` };
  if (subjectSubsystem && /^x86\b/i.test(subjectSubsystem)) return { arch: 'x86_64', why: `the subject's subsystem is ${subjectSubsystem}` };
  for (const m of messages) {
    const files = /^(?:\+\+\+|---) [ab]\/(arch\/(arm64|x86)\/\S+)/m.exec(m.body);
    if (files) return { arch: files[2] === 'arm64' ? 'arm64' : 'x86_64', why: `the diff touches ${files[1]}` };
  }
  const arm = messages.some((m) => ARM64.test(m.subject.raw) || ARM64.test(m.body));
  const x86 = messages.some((m) => X86.test(m.body));
  if (arm && !x86) return { arch: 'arm64', why: 'the thread names arm64 and no other architecture' };
  if (x86 && !arm) return { arch: 'x86_64', why: 'the thread names x86 and no other architecture' };
  return { arch: null, why: arm && x86 ? 'the thread names both arm64 and x86' : 'the thread names no architecture' };
}

function vaBitsOf(messages: readonly Message[]): number | null {
  for (const m of messages) {
    const v = /\b(39|48|52)-bit VA\b|\bVA_BITS\s*=\s*(39|48|52)\b/.exec(m.body);
    if (v) return Number(v[1] ?? v[2]);
  }
  return null;
}

/** Group messages into threads by normalised subject and describe each. Keyed by msgid. */
export function threadContexts(messages: readonly Message[]): Map<string, ThreadContext> {
  const groups = new Map<string, Message[]>();
  for (const m of messages) {
    const key = m.subject.normalized.toLowerCase();
    const g = groups.get(key);
    if (g) g.push(m);
    else groups.set(key, [m]);
  }
  const out = new Map<string, ThreadContext>();
  for (const group of groups.values()) {
    const dated = group.filter((m) => m.date).sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''));
    const patchMails = group.filter((m) => m.subject.isPatch && !m.subject.isReply);
    const head = patchMails[0] ?? dated[0] ?? group[0];
    const { arch, why } = archOf(group, head.subject.subsystem);
    const ctx: ThreadContext = {
      title: head.subject.normalized,
      subject: head.subject,
      date: dated[0]?.date ?? null,
      arch,
      archReason: why,
      vaBits: vaBitsOf(group),
      msgids: group.map((m) => m.msgid),
      patchMails: new Set(patchMails.map((m) => m.msgid)),
    };
    for (const m of group) out.set(m.msgid, ctx);
  }
  return out;
}

/** The body lines just before a claim (up to four), quote markers removed. */
export function precedingText(message: Message, claim: Claim): string {
  const lines = message.body.split('\n');
  const from = Math.max(0, claim.lines.start - 4);
  return lines
    .slice(from, claim.lines.start + 1)
    .map((l, i) => (from + i === claim.lines.start ? l.slice(0, claim.lines.startCol) : l))
    .map((l) => l.replace(/^\s?(?:>\s?)*/, '').trim())
    .filter((l) => l !== '')
    .join(' ');
}

export function claimContext(claim: Claim, message: Message, thread: ThreadContext): ClaimContext {
  return { claim, message, thread, preceding: precedingText(message, claim) };
}
