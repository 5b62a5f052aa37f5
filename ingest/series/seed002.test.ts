// Seed 002: mail-archive.com author archive of Dan Williams' 2019 mails. It holds the v9 posting of
// "mm: Sub-section memory hotplug support" in full, two v8 patches, and replies by Dan to the v6 and
// v8 cover letters and to v6 06/12, v7 09/12 and v8 09/12 — no Message-IDs, no References, no
// addresses, dates to the day. Everything below is what that file supports.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SEED } from '../../test/fixtures.js';
import { parseMailArchiveDump } from '../sources/mailArchive.js';
import { groupRevisions } from './group.js';
import { linkVersions } from './versions.js';
import { diffShape, diffSimilarity, linkLineage } from './lineage.js';
import { attributeTrailers } from './trailers.js';
import { analyzeSeries } from './analyze.js';
import type { RevisionMember, Series } from './types.js';

const { messages } = parseMailArchiveDump(readFileSync(SEED.danAuthorArchive, 'utf8'), SEED.danAuthorArchive);
const grouping = groupRevisions(messages);
const all = linkVersions(grouping.revisions, { messages });
const byId = new Map(messages.map((m) => [m.msgid, m]));

function subsection(): Series {
  const found = all.filter((s) => s.revisions.some((r) => r.revision.cover?.title === 'mm: Sub-section memory hotplug support'));
  assert.equal(found.length, 1, 'one series carries the sub-section cover title');
  return found[0];
}

function slots(members: RevisionMember[]): string[] {
  return members.map((p) => `${p.index}:${p.rule}`);
}

function msgidOf(subject: string): string {
  const m = messages.find((x) => x.subject.raw === subject);
  assert.ok(m, subject);
  return m.msgid;
}

describe('seed 002: mm: Sub-section memory hotplug support v6..v9', () => {
  test('one series with four revisions, v6, v7, v8 and v9', () => {
    const s = subsection();
    assert.equal(s.title, 'mm: Sub-section memory hotplug support');
    assert.deepEqual(s.revisions.map((r) => r.revision.version), [6, 7, 8, 9]);
    assert.ok(s.revisions.every((r) => r.revision.total === 12));
    assert.ok(s.revisions.every((r) => !r.revision.rfc), 'none of them was posted as an RFC');
  });

  test('a revision seen only through replies to "[PATCH RFC 00/10]" is an RFC', () => {
    const rfc = all.flatMap((s) => s.revisions).filter((r) => r.revision.title === 'RDMA/FS DAX truncate proposal');
    assert.equal(rfc.length, 1);
    assert.equal(rfc[0].revision.rule, 'reply-subject');
    assert.equal(rfc[0].revision.rfc, true);
  });

  test('each revision holds what the archive shows of it, and says how it was seen', () => {
    const [v6, v7, v8, v9] = subsection().revisions.map((r) => r.revision);
    // v6: only Dan's replies to the cover letter and to 06/12.
    assert.equal(v6.cover?.rule, 'reply-subject');
    assert.deepEqual(slots(v6.patches), ['6:reply-subject']);
    assert.equal(v6.patches[0].title, 'mm/hotplug: Add mem-hotplug restrictions for remove_memory()');
    // v7: only the reply to 09/12.
    assert.equal(v7.cover, null);
    assert.deepEqual(slots(v7.patches), ['9:reply-subject']);
    // v8: 01/12 and 05/12 posted the same day (grouped by author and time), the cover and 09/12 through replies.
    assert.equal(v8.cover?.rule, 'reply-subject');
    assert.deepEqual(slots(v8.patches), ['1:author-window', '5:root', '9:reply-subject']);
    assert.equal(v8.patches[2].msgid, null);
    assert.deepEqual(v8.patches[2].seenIn, [msgidOf('Re: [PATCH v8 09/12] mm/sparsemem: Support sub-section hotplug')]);
    // v9: cover letter and all 12 patches posted.
    assert.equal(v9.cover?.rule, 'root');
    assert.deepEqual(v9.patches.map((p) => p.index), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.ok(v9.patches.every((p) => p.rule === 'author-window' && p.msgid !== null));
  });

  test('NEXT_VERSION links record their evidence', () => {
    const s = subsection();
    assert.deepEqual(
      s.next.map((n) => n.rule),
      ['series-order', 'patch-titles', 'cover-subject'],
    );
    // v6 and v7 share no edge: each says how it belongs to the series, with one edge, not all of them.
    assert.equal(
      s.next[0].evidence,
      'no direct evidence between the two; v6 belongs to the series by cover-subject (cover letters titled "mm: sub-section memory hotplug support") (and 1 more edge); ' +
        'v7 belongs to the series by patch-titles (1 of 1 patch titles shared: "mm/sparsemem: support sub-section hotplug") (and 1 more edge)',
    );
    assert.equal(s.next[1].evidence, '1 of 1 patch titles shared: "mm/sparsemem: support sub-section hotplug"');
    assert.equal(s.next[2].evidence, 'cover letters titled "mm: sub-section memory hotplug support"');
  });

  test('patch lineage: v7 09/12 → v8 09/12 → v9 08/12, v8 01/12 → v9 01/12, v8 05/12 → v9 04/12', () => {
    const s = subsection();
    const links = linkLineage(s, { messages });
    const v = (key: string): string => key.slice(key.lastIndexOf(':') + 1);
    const [, v7, v8, v9] = s.revisions.map((r) => r.revision);
    const at = (r: typeof v9, i: number): string => {
      const p = r.patches.find((x) => x.index === i);
      assert.ok(p);
      return p.key;
    };
    assert.deepEqual(
      links.map((l) => [v(l.fromRevision), l.from, v(l.toRevision), l.to, l.rule]),
      [
        ['v7', at(v7, 9), 'v8', at(v8, 9), 'title'],
        ['v8', at(v8, 1), 'v9', at(v9, 1), 'title'],
        ['v8', at(v8, 5), 'v9', at(v9, 4), 'title'],
        ['v8', at(v8, 9), 'v9', at(v9, 8), 'title'],
      ],
    );
    assert.equal(byId.get(at(v9, 8))?.subject.raw, '[PATCH v9 08/12] mm/sparsemem: Support sub-section hotplug');
  });

  test('from the diffs alone, v8 01/12 → v9 01/12 and the renumbered v8 05/12 → v9 04/12', () => {
    const s = subsection();
    const [, , v8, v9] = s.revisions.map((r) => r.revision);
    const links = linkLineage(s, { messages, rules: ['diff'] });
    const idx = (key: string, r: typeof v9): number | null => r.patches.find((p) => p.key === key)?.index ?? null;
    assert.deepEqual(
      links.map((l) => [idx(l.from, v8), idx(l.to, v9)]),
      [
        [1, 1],
        [5, 4],
      ],
    );
    // An unrelated pair scores low.
    const a = diffShape(byId.get(v8.patches[0].key));
    const b = diffShape(byId.get(v9.patches[1].key));
    assert.ok(a && b);
    assert.ok(diffSimilarity(a, b) < 0.5);
  });

  test('other series of the archive are not pulled in', () => {
    const s = subsection();
    const titles = s.revisions.flatMap((r) => r.revision.patches.map((p) => p.title));
    assert.ok(!titles.includes('dm: enable synchronous dax'));
    assert.ok(!titles.includes('libnvdimm: add dax_dev sync flag'));
    const virtio = all.filter((x) => x.revisions.some((r) => r.revision.patches.some((p) => p.title === 'dm: enable synchronous dax')));
    assert.equal(virtio.length, 1);
    assert.notEqual(virtio[0].key, s.key);
  });
});

describe('seed 002: patches known only from replies', () => {
  test('three replies to "[PATCH] mm/swap: Fix release_pages()…" within two days show one patch', () => {
    const rev = grouping.revisions.find((r) => r.patches.some((p) => p.title === 'mm/swap: Fix release_pages() when releasing devmap pages' && r.version === 1));
    assert.ok(rev);
    assert.equal(rev.rule, 'reply-subject');
    assert.equal(rev.patches.length, 1);
    const p = rev.patches[0];
    assert.equal(p.msgid, null);
    assert.equal(p.key, `subject:${p.seenIn[0]}`);
    const replies = grouping.comments.filter((c) => c.target === p.key);
    assert.equal(replies.length, 3);
    // One of them quotes an earlier one of Dan's: it is reached through that inferred parent.
    assert.equal(replies.filter((c) => c.evidence.startsWith('reply to <')).length, 1);
  });

  test('replies to a patch that is in the archive attach to it, not to a subject key', () => {
    const posted = messages.find((m) => m.subject.raw === '[PATCH] libnvdimm/pmem: Bypass CONFIG_HARDENED_USERCOPY overhead');
    assert.ok(posted);
    const replies = grouping.comments.filter((c) => c.target === posted.msgid);
    assert.equal(replies.length, 4);
    assert.ok(replies.every((c) => c.rule === 'reply-subject'));
  });
});

describe('seed 002: every mail finds its place', () => {
  test('only the pull requests and a topic discussion are left unattached', () => {
    assert.deepEqual(grouping.unattached.map((id) => byId.get(id)?.subject.raw).sort(), [
      'Re: [GIT PULL] device-dax for 5.1: PMEM as RAM',
      'Re: [Lsf-pc] [LSF/MM TOPIC] The end of the DAX experiment',
      '[GIT PULL] libnvdimm fixes for v5.2-rc1',
      '[GIT PULL] libnvdimm fixes for v5.2-rc2',
    ]);
    assert.equal(grouping.comments.length + grouping.unattached.length, [...grouping.roles.values()].filter((r) => r.role === 'comment').length);
  });
});

describe('seed 002: follow-up trailers in an archive without addresses', () => {
  test("Dan's own Acked-by/Reviewed-by apply by name; a Reported-by naming Logan Gunthorpe is recorded as mismatched", () => {
    const got = attributeTrailers(grouping, messages);
    const subjectOf = (id: string): string | undefined => byId.get(id)?.subject.normalized;
    assert.deepEqual(
      got.map((a) => [a.status, a.trailer.name, a.trailer.person?.name, subjectOf(a.givenIn)]),
      [
        ['applied', 'Reviewed-by', 'Dan Williams', 'kernel: remove the unused device_private_entry_fault export'],
        ['applied', 'Reviewed-by', 'Dan Williams', 'mm/swap: Fix release_pages() when releasing devmap pages'],
        ['applied', 'Acked-by', 'Dan Williams', 'mm/hotplug: skip bad PFNs from pfn_to_online_page()'],
        ['applied', 'Reviewed-by', 'Dan Williams', 'memremap: pass a struct dev_pagemap to ->kill'],
        ['mismatched', 'Reported-by', 'Logan Gunthorpe', 'memremap: pass a struct dev_pagemap to ->kill'],
      ],
    );
    // The patches exist only as the subjects of Dan's replies: keyed by subject, reached by reply-subject.
    assert.ok(got.every((a) => a.patch.startsWith('subject:') && a.evidence.includes('no thread')));
    assert.match(got[4].evidence, /trailer names "Logan Gunthorpe", not the sender "Dan Williams"; not applied/);
    assert.ok(got.slice(0, 4).every((a) => a.evidence.endsWith('trailer names the sender (no address to compare)')));
  });
});

describe('seed 002 through the single entry point', () => {
  test('analyzeSeries gives the same series, lineage and trailers as the separate calls', () => {
    const a = analyzeSeries(messages);
    const s = a.series.find((x) => x.title === 'mm: Sub-section memory hotplug support');
    assert.ok(s);
    assert.deepEqual(s.revisions.map((r) => r.revision.version), [6, 7, 8, 9]);
    assert.equal(a.lineage.filter((l) => l.toRevision.startsWith(s.key)).length, 4);
    assert.equal(a.trailers.length, 5);
    assert.deepEqual(a.grouping.revisions.length, grouping.revisions.length);
  });
});
