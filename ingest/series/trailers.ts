// Follow-up trailer attribution with b4's semantics: the `Reviewed-by:`/`Acked-by:`/`Tested-by:`…
// a reviewer writes in a reply is given to the patch the reply chain leads to; one written in reply
// to a cover letter is given to every patch of that revision (and of a partial re-roll that carried
// the cover); a person trailer that names someone other than its sender (another address and
// another name) is recorded as `mismatched` and not applied; trailers quoted with `>` or restated
// indented are not follow-ups (segment/followup.ts decides which lines of a reply are the
// reviewer's own trailers); a trailer the patch already carries is recorded as `already-present`,
// not added again.
import type { Address, Message } from '../model.js';
import { compareTrailerAddress, findTrailerBlock, followupTrailers, parseTrailerLines, splitLines, type Trailer } from '../segment/index.js';
import { nameKey } from '../identity/names.js';
import type { Identities } from '../identity/resolve.js';
import { lookupOf, type MessageLookup, type Messages } from './messages.js';
import type { Grouping, Revision, RevisionMember } from './types.js';
import { pushTo } from './buckets.js';

/**
 * applied: given by the sender — the same address, the same but for a +tag or subdomain, or
 *   another address under the sender's own name, as b4 accepts them — or a utility trailer (Link,
 *   Closes…); the evidence says which;
 * unverified: applied, but neither side had a readable address and the names did not decide;
 * mismatched: the trailer names someone else than the sender (another address and another name,
 *   or — when there are no addresses — another full name) — not applied (b4 drops it);
 * already-present: the patch carries the same trailer already — nothing to add.
 */
export type TrailerStatus = 'applied' | 'unverified' | 'mismatched' | 'already-present';

export interface TrailerAttribution {
  /** Patch member key (the patch msgid, or a subject key for a patch seen only in replies). */
  patch: string;
  /** Revision id the patch was reached through. */
  revision: string;
  /** `Reviewed-by: Name <addr>` as it would be appended. */
  text: string;
  trailer: Trailer;
  /** The person the trailer names (for the TRAILER Person→Patch edge), when identities were given. */
  personId: string | null;
  /** The reply that gave it and its sender. */
  givenIn: string;
  givenBy: Address;
  /** `patch`: the reply chain leads to the patch; `cover`: to the cover letter of the revision. */
  via: 'patch' | 'cover';
  status: TrailerStatus;
  evidence: string;
}

/** Utility trailers a reviewer's follow-up may add (b4 collects these besides the `*-by` tags). */
const FOLLOWUP_UTILITY = new Set(['fixes', 'link', 'closes', 'buglink']);

/**
 * Trailers that count as follow-ups: `Something-by:` person tags and the references above.
 * `url:`/`base:` lines of a robot's report, `Cc:` lines and other `Name: value` text are not.
 */
export function isFollowupTrailer(t: Trailer): boolean {
  const n = t.name.toLowerCase();
  if (t.kind === 'person') return /^[a-z][a-z0-9-]*-by$/.test(n);
  return FOLLOWUP_UTILITY.has(n);
}

export function trailerText(t: Trailer): string {
  return `${t.name}: ${t.value}`;
}

function sameTrailer(a: string, b: string): boolean {
  return a.replace(/\s+/g, ' ').trim().toLowerCase() === b.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** The trailers in a patch mail's own trailer block (above `---` / the diff). */
export function patchTrailers(m: Message): Trailer[] {
  const lines = splitLines(m.body);
  const block = findTrailerBlock(lines);
  return block ? parseTrailerLines(lines, block[0], block[1]) : [];
}

/** Attribute the follow-up trailers of every reply in the grouping. Pure. */
export function attributeTrailers(
  grouping: Grouping,
  messages: Messages,
  opts: { identities?: Identities } = {},
): TrailerAttribution[] {
  return trailerAttributor(grouping, messages, opts)(grouping.revisions);
}

/**
 * Attribution a few revisions at a time (the derive stage asks series by series, so that the
 * attributions of a whole archive are never held at once). The function returned gives the
 * attributions to patches of the revisions asked for — also those given on a cover letter another
 * revision carried to them — in the order attributeTrailers gives them. Asked for every revision
 * once, in any grouping of them, it gives each attribution once. `ownTexts` (Message-ID → the
 * patch mail's own trailers as `Name: value`) spares reading a patch again that the caller read.
 */
export function trailerAttributor(
  grouping: Grouping,
  messages: Messages,
  opts: { identities?: Identities } = {},
): (revisions: readonly Revision[], ownTexts?: ReadonlyMap<string, readonly string[]>) => TrailerAttribution[] {
  const byId = lookupOf(messages);
  const revById = new Map(grouping.revisions.map((r) => [r.id, r]));
  const carriedCover = new Map<string, Revision[]>();
  for (const r of grouping.revisions) {
    if (r.cover?.rule === 'carried' && r.cover.carriedFrom) {
      pushTo(carriedCover, r.cover.carriedFrom, r);
    }
  }
  // The replies to each revision, as indexes into grouping.comments (which fixes the order).
  const linksOf = new Map<string, number[]>();
  grouping.comments.forEach((c, i) => pushTo(linksOf, c.revision, i));
  return (revisions, ownTexts) => {
    const wanted = new Set(revisions.map((r) => r.id));
    const links = new Set<number>();
    for (const r of revisions) {
      for (const i of linksOf.get(r.id) ?? []) links.add(i);
      // A cover letter carried to r: the replies to it are in the revision it came from.
      if (r.cover?.rule === 'carried' && r.cover.carriedFrom) for (const i of linksOf.get(r.cover.carriedFrom) ?? []) links.add(i);
    }
    // The trailers each patch mail carries: as the caller read them already (by Message-ID), else read here.
    const own = new Map<string, readonly string[]>();
    const existing = (p: RevisionMember): readonly string[] => {
      if (!p.msgid) return [];
      let got = ownTexts?.get(p.msgid) ?? own.get(p.msgid);
      if (!got) {
        const m = byId.get(p.msgid);
        got = m ? patchTrailers(m).map(trailerText) : [];
        own.set(p.msgid, got);
      }
      return got;
    };
    const out: TrailerAttribution[] = [];
    const seen = new Set<string>();
    for (const i of [...links].sort((a, b) => a - b)) {
      const link = grouping.comments[i];
      const rev = revById.get(link.revision);
      if (!rev) continue;
      const onCover = rev.cover !== null && rev.cover.key === link.target;
      let targets: { patch: RevisionMember; rev: Revision }[];
      if (onCover) {
        // Every patch of the revision, and of partial re-rolls that carried this cover letter.
        targets = rev.patches.map((patch) => ({ patch, rev }));
        for (const r of carriedCover.get(rev.id) ?? []) targets.push(...r.patches.map((patch) => ({ patch, rev: r })));
      } else {
        const patch = rev.patches.find((p) => p.key === link.target);
        targets = patch ? [{ patch, rev }] : [];
      }
      targets = targets.filter((t) => wanted.has(t.rev.id));
      if (targets.length === 0) continue;
      const reply = byId.get(link.msgid);
      if (!reply) continue;
      const trailers = followupTrailers(reply.body).filter(isFollowupTrailer);
      if (trailers.length === 0) continue;
      for (const t of trailers) {
        const text = trailerText(t);
        let match = t.kind === 'person' ? compareTrailerAddress(t, reply.from) : 'match';
        // No address on either side (text dumps): two different full names are two people.
        const tk = nameKey(t.person?.name);
        const fk = nameKey(reply.from.name);
        const namesDiffer = match === 'unknown' && !!tk && !!fk && tk.key !== fk.key;
        if (namesDiffer) match = 'mismatch';
        for (const { patch, rev: r } of targets) {
          const k = `${patch.key}\u0000${link.msgid}\u0000${text}`;
          if (seen.has(k)) continue;
          seen.add(k);
          let status: TrailerStatus;
          let why: string;
          if (existing(patch).some((e) => sameTrailer(e, text))) {
            status = 'already-present';
            why = 'the patch already carries this trailer';
          } else if (match === 'mismatch') {
            status = 'mismatched';
            why = namesDiffer
              ? `no addresses to compare and the trailer names "${t.person?.name}", not the sender "${reply.from.name}"; not applied`
              : `trailer address differs from the sender ${reply.from.address ?? reply.from.name ?? '?'}; not applied`;
          } else if (match === 'unknown') {
            status = 'unverified';
            why = 'no readable address on one side and the names do not decide; applied unverified';
          } else {
            status = 'applied';
            why =
              t.kind !== 'person'
                ? 'utility trailer'
                : match === 'similar-address'
                  ? `trailer address ${t.person?.address} is the sender's ${reply.from.address} but for a +tag or subdomain (b4 accepts it)`
                  : match === 'same-name'
                    ? `trailer address ${t.person?.address} is not the sender's ${reply.from.address}, but the names are the same (b4 accepts a name match)`
                    : t.person?.address && reply.from.address
                      ? 'trailer address is the sender'
                      : 'trailer names the sender (no address to compare)';
          }
          const route = onCover
            ? `given on the cover letter of v${rev.version}${r !== rev ? ` (carried to the v${r.version} partial re-roll)` : ''}`
            : `reply chain leads to the patch (${link.evidence})`;
          out.push({
            patch: patch.key,
            revision: r.id,
            text,
            trailer: t,
            personId: t.person && opts.identities ? opts.identities.lookup(t.person.name, t.person.address) : null,
            givenIn: reply.msgid,
            givenBy: reply.from,
            via: onCover ? 'cover' : 'patch',
            status,
            evidence: `${route}; ${why}`,
          });
        }
      }
    }
    return out;
  };
}
