// Rule `reply-subject`: a reply with no thread in the set (author archives and other text dumps
// lose Message-IDs and References) is placed by its subject. First on a member with the same
// version, number and title; else in a free slot of a revision with the same version and total
// whose first mail is at most `replyWindowMs` older; else it opens a revision of its own. A patch
// known only this way has no msgid and the key `subject:<msgid of the first reply that showed it>`;
// later replies with the same version, number and title join it while within `replyWindowMs`.
import type { Message } from '../model.js';
import { timeOf } from './classify.js';
import { stableTargetOf } from '../parse/subject.js';
import { firstTime, slotTaken, versionOf, type Work } from './revisionWork.js';
import type { CommentLink, Revision, RevisionMember } from './types.js';
import { pushTo } from './buckets.js';

const DAY = 24 * 3600_000;

/** Version, and the stable kernel for a backport: postings of one title for 5.3 and 5.2 differ. */
function versionKey(version: number, stable: string | null): string {
  return stable ? `${version}@${stable}` : String(version);
}

function titleKey(version: string, index: number | null, title: string): string {
  return `${version}|${index ?? '-'}|${title.toLowerCase()}`;
}

export class SubjectPlacer {
  private byTitle = new Map<string, { w: Work; member: RevisionMember }[]>();
  private byTotal = new Map<string, Work[]>();

  constructor(
    private readonly works: Work[],
    private readonly replyWindowMs: number,
  ) {
    for (const w of works) this.index(w);
  }

  private index(w: Work): void {
    const r = w.rev;
    const members = [...(r.cover ? [r.cover] : []), ...r.patches];
    for (const member of members) {
      if (member.rule === 'carried') continue;
      this.addTitle(w, member);
    }
    if (r.total !== null) {
      const k = `${versionKey(r.version, r.stable)}|${r.total}`;
      pushTo(this.byTotal, k, w);
    }
  }

  private addTitle(w: Work, member: RevisionMember): void {
    const k = titleKey(versionKey(w.rev.version, w.rev.stable), member.index, member.title);
    pushTo(this.byTitle, k, { w, member });
  }

  /** Place one reply; always returns a link (opening a reply-only revision when nothing fits). */
  place(m: Message): CommentLink {
    const s = m.subject;
    const v = versionOf(m);
    const vk = versionKey(v, stableTargetOf(s));
    const t = timeOf(m);
    const idx = s.index;
    for (const { w, member } of this.byTitle.get(titleKey(vk, idx, s.normalized)) ?? []) {
      if (s.total !== null && w.rev.total !== s.total) continue;
      // A patch known only from replies is the same one only while the replies are close in time.
      const first = firstTime(w);
      if (!member.msgid && t !== null && first !== null && Math.abs(t - first) > this.replyWindowMs) continue;
      if (!member.msgid) member.seenIn.push(m.msgid);
      return {
        msgid: m.msgid,
        revision: w.rev.id,
        target: member.key,
        rule: 'reply-subject',
        evidence: `no thread; subject names v${v} ${idx ?? '-'}/${s.total ?? '-'} "${s.normalized}"`,
      };
    }
    let host: Work | null = null;
    let age = 0;
    if (idx !== null && s.total !== null && t !== null) {
      for (const w of this.byTotal.get(`${vk}|${s.total}`) ?? []) {
        const first = firstTime(w);
        if (first === null || slotTaken(w.rev, idx)) continue;
        const d = t - first;
        if (d >= 0 && d <= this.replyWindowMs) {
          host = w;
          age = d;
          break;
        }
      }
    }
    const evidence = host
      ? `no thread; v${v} ${idx}/${s.total} is free in revision <${host.rev.id}> of the same version and total, first mail ${Math.round(age / DAY)} days before`
      : `no thread; only this reply shows v${v} ${idx ?? '-'}/${s.total ?? '-'} "${s.normalized}"`;
    if (!host) {
      const rev: Revision = {
        id: `seen:${m.msgid}`,
        version: v,
        versionExplicit: s.version !== null,
        total: s.total,
        author: null,
        date: m.date,
        title: s.normalized,
        cover: null,
        patches: [],
        rule: 'reply-subject',
        evidence,
        changeId: null,
        rfc: s.isRfc,
        stable: stableTargetOf(s),
        rerollOf: null,
        threadedTo: [],
      };
      host = { rev, times: t !== null ? [t] : [] };
      this.works.push(host);
      this.index(host);
    }
    const member: RevisionMember = {
      msgid: null,
      key: `subject:${m.msgid}`,
      index: idx,
      total: s.total,
      title: s.normalized,
      rule: 'reply-subject',
      evidence,
      seenIn: [m.msgid],
    };
    if (idx === 0) {
      host.rev.cover = member;
      host.rev.title = member.title;
    } else host.rev.patches.push(member);
    this.addTitle(host, member);
    return { msgid: m.msgid, revision: host.rev.id, target: member.key, rule: 'reply-subject', evidence };
  }
}
