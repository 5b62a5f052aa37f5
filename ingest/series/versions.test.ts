import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { PEERS_DIR } from '../../test/fixtures.js';
import { readMboxMessages } from './testMbox.js';
import { groupRevisions } from './group.js';
import { linkVersions } from './versions.js';
import { linkLineage } from './lineage.js';
import type { Series } from './types.js';
import { parseSubject } from '../parse/subject.js';

const PW = resolve(PEERS_DIR, 'patchwork/series');
const B4 = resolve(PEERS_DIR, 'b4');

async function seriesOf(path: string): Promise<Series[]> {
  const messages = await readMboxMessages(path);
  return linkVersions(groupRevisions(messages).revisions, { messages });
}

describe('revisions of one series are linked, with the rule that linked them', () => {
  const cases: { file: string; versions: number[]; rule: string }[] = [
    { file: 'revision-basic.mbox', versions: [1, 2], rule: 'cover-subject' },
    { file: 'revision-no-cover-letter.mbox', versions: [1, 2], rule: 'patch-titles' },
    { file: 'revision-out-of-order.mbox', versions: [1, 2], rule: 'thread' },
    { file: 'revision-threaded-to-cover.mbox', versions: [1, 2], rule: 'thread' },
    { file: 'revision-threaded-to-patch.mbox', versions: [1, 2], rule: 'thread' },
    { file: 'revision-threaded-to-single-patch.mbox', versions: [1, 2], rule: 'thread' },
    { file: 'revision-unlabeled.mbox', versions: [1, 1], rule: 'cover-subject' },
    { file: 'revision-unlabeled-noreferences.mbox', versions: [2, 2], rule: 'patch-titles' },
    { file: 'bugs-nocover.mbox', versions: [1, 2], rule: 'thread' },
    { file: 'bugs-spamming.mbox', versions: [2, 2, 2], rule: 'patch-titles' },
  ];
  for (const c of cases) {
    test(c.file, async () => {
      const all = await seriesOf(resolve(PW, c.file));
      assert.equal(all.length, 1);
      const s = all[0];
      assert.deepEqual(s.revisions.map((r) => r.revision.version), c.versions);
      assert.ok(s.next.length === c.versions.length - 1);
      for (const n of s.next) assert.equal(n.rule, c.rule);
      assert.equal(new Set(s.revisions.map((r) => r.key)).size, s.revisions.length, 'revision keys are unique');
    });
  }

  test('revision-basic: keys say series and version; NEXT_VERSION v1 → v2 says why', async () => {
    const [s] = await seriesOf(resolve(PW, 'revision-basic.mbox'));
    assert.equal(s.key, 'series:1473632524-8585-1-git-send-email-stephenfinucane@gmail.com');
    assert.deepEqual(s.revisions.map((r) => r.key), [`${s.key}:v1`, `${s.key}:v2`]);
    assert.deepEqual(s.next, [
      { from: `${s.key}:v1`, to: `${s.key}:v2`, rule: 'cover-subject', evidence: 'cover letters titled "a sample series"' },
    ]);
  });

  test('a b4 series is keyed by its change-id', async () => {
    const [s] = await seriesOf(resolve(B4, 'shazam-git1-just-series.mbox'));
    assert.equal(s.key, 'change-id:20221025-test1-e8520c2200a3');
  });

  test('b4 change-id links a re-roll whose cover and patch titles all changed', async () => {
    // shazam-git1-just-series is a real b4 v1 (change-id in the cover body); its re-send as a v2 gets
    // new ids, a week later, and new titles everywhere: only the change-id ties the two together.
    const v1 = await readMboxMessages(resolve(B4, 'shazam-git1-just-series.mbox'));
    const week = 7 * 24 * 3600_000;
    const v2 = v1.map((m) => ({
      ...m,
      msgid: m.msgid.replace('-v1-', '-v2-'),
      inReplyTo: m.inReplyTo?.replace('-v1-', '-v2-') ?? null,
      references: m.references.map((r) => r.replace('-v1-', '-v2-')),
      date: new Date(Date.parse(m.date ?? '') + week).toISOString(),
      subject: parseSubject(`[PATCH v2 ${m.subject.index}/${m.subject.total}] reworked part ${m.subject.index}`),
    }));
    const all = linkVersions(groupRevisions([...v1, ...v2]).revisions, { messages: [...v1, ...v2] });
    assert.equal(all.length, 1);
    assert.equal(all[0].key, 'change-id:20221025-test1-e8520c2200a3');
    assert.deepEqual(all[0].revisions.map((r) => r.key), ['change-id:20221025-test1-e8520c2200a3:v1', 'change-id:20221025-test1-e8520c2200a3:v2']);
    assert.deepEqual(all[0].next.map((n) => [n.rule, n.evidence]), [['change-id', 'both carry change-id 20221025-test1-e8520c2200a3']]);
  });

  test('different series by the same author stay apart', async () => {
    const messages = [
      ...(await readMboxMessages(resolve(PW, 'base-cover-letter.mbox'))),
      ...(await readMboxMessages(resolve(PW, 'mercurial-cover-letter.mbox'))),
      ...(await readMboxMessages(resolve(PW, 'base-no-references.mbox'))),
    ];
    const all = linkVersions(groupRevisions(messages).revisions, { messages });
    assert.equal(all.length, 3);
    assert.ok(all.every((s) => s.revisions.length === 1));
  });
});

describe('a patch someone else posts into the thread', () => {
  // On linux-riscv the kbuild robot's "[RFC PATCH] dmaengine: sf-pdma: sf_pdma_disclaim_chan() can
  // be static", a reply to v4 3/4, was read as an RFC v1 of the series. Patchwork's sample with
  // the v2 cover replying to v1 2/2, its v2 sent by someone else, is that in small.
  test('is not a version of the series, however it is threaded', async () => {
    const messages = await readMboxMessages(resolve(PW, 'revision-threaded-to-patch.mbox'));
    const same = linkVersions(groupRevisions(messages).revisions, { messages });
    assert.equal(same.length, 1);
    assert.deepEqual(same[0].next.map((n) => n.rule), ['thread']);
    const robot = { name: 'kernel test robot', address: 'lkp@intel.com', obfuscated: false };
    const other = messages.map((m) => (m.subject.version === 2 ? { ...m, from: { ...m.from, ...robot } } : m));
    const apart = linkVersions(groupRevisions(other).revisions, { messages: other });
    assert.equal(apart.length, 2);
    assert.ok(apart.every((s) => s.edges.every((e) => e.rule !== 'thread')));
  });
});

describe('stable backports', () => {
  // revision-no-cover-letter (v1 and v2 of one patch set, linked by their patch titles) with the
  // bracket prefixes stable postings carry, as AUTOSEL posts one patch set for 5.3, 5.2, 4.19… at
  // once (seen on linuxppc-dev, where they had been chained as six "v1" revisions of one series).
  async function relabelled(prefix: (version: number) => string | null) {
    const messages = (await readMboxMessages(resolve(PW, 'revision-no-cover-letter.mbox'))).map((m) => {
      const p = prefix(m.subject.version ?? 1);
      return p === null ? m : { ...m, subject: parseSubject(m.subject.raw.replace(/^\[PATCH(?: v2)?/, p)) };
    });
    return linkVersions(groupRevisions(messages).revisions, { messages });
  }

  test('one patch set posted for two stable kernels is two series, not two versions', async () => {
    const series = await relabelled((v) => (v === 1 ? '[PATCH AUTOSEL 5.3' : '[PATCH AUTOSEL 5.2'));
    assert.equal(series.length, 2);
    assert.deepEqual(series.map((s) => s.revisions.map((r) => r.revision.stable)).sort(), [['5.2'], ['5.3']]);
    assert.ok(series.every((s) => s.next.length === 0));
  });

  test('a b4 series and its backports, which keep its change-id, are one series per kernel', async () => {
    // shazam-git1-just-series (a real b4 series, change-id in the cover) re-posted a week later for
    // 5.10 and for 5.15 with new ids; the mainline posting keeps the plain change-id key.
    const v1 = await readMboxMessages(resolve(B4, 'shazam-git1-just-series.mbox'));
    const backport = (kernel: string) =>
      v1.map((m) => ({
        ...m,
        msgid: m.msgid.replace('-v1-', `-${kernel}-`),
        inReplyTo: m.inReplyTo?.replace('-v1-', `-${kernel}-`) ?? null,
        references: m.references.map((r) => r.replace('-v1-', `-${kernel}-`)),
        date: new Date(Date.parse(m.date ?? '') + 7 * 24 * 3600_000).toISOString(),
        subject: parseSubject(m.subject.raw.replace(/^\[PATCH/, `[PATCH ${kernel}`)),
      }));
    const messages = [...v1, ...backport('5.10'), ...backport('5.15')];
    const keys = linkVersions(groupRevisions(messages).revisions, { messages }).map((s) => s.key).sort();
    assert.deepEqual(keys, ['change-id:20221025-test1-e8520c2200a3', 'change-id:20221025-test1-e8520c2200a3@5.10', 'change-id:20221025-test1-e8520c2200a3@5.15']);
  });

  test('a backport is not a version of the mainline posting', async () => {
    const series = await relabelled((v) => (v === 1 ? null : '[PATCH 5.10'));
    assert.equal(series.length, 2);
    assert.deepEqual(series.map((s) => s.revisions[0].revision.stable).sort(), ['5.10', null].sort());
  });

  test('v1 and v2 of a backport for one stable kernel stay one series', async () => {
    const series = await relabelled((v) => (v === 1 ? '[PATCH 5.10' : '[PATCH 5.10 v2'));
    assert.equal(series.length, 1);
    assert.deepEqual(series[0].revisions.map((r) => [r.revision.version, r.revision.stable]), [[1, '5.10'], [2, '5.10']]);
    assert.deepEqual(series[0].next.map((n) => n.rule), ['patch-titles']);
  });
});

describe('RFC postings and patch postings are numbered apart', () => {
  // revision-no-cover-letter (v1 of a patch set, then v2) with the first posting relabelled an RFC:
  // authors number RFCs on their own and may start again at v1 for the patches (virtio-mem went
  // RFC v3, RFC v4, then v1…v4), so the revisions must follow the dates, not the numbers.
  async function relabelled(first: string, second: string) {
    const messages = (await readMboxMessages(resolve(PW, 'revision-no-cover-letter.mbox'))).map((m) => ({
      ...m,
      subject: parseSubject(m.subject.raw.replace(/^\[PATCH(?: v2)?/, (m.subject.version ?? 1) === 1 ? first : second)),
    }));
    return linkVersions(groupRevisions(messages).revisions, { messages });
  }
  const names = (s: Series) => s.revisions.map((r) => `${r.revision.rfc ? 'RFC ' : ''}v${r.revision.version}`);

  test('RFC v3 posted before v1 comes before it', async () => {
    const series = await relabelled('[RFC PATCH v3', '[PATCH');
    assert.equal(series.length, 1);
    assert.deepEqual(names(series[0]), ['RFC v3', 'v1']);
    assert.deepEqual(series[0].next.map((n) => n.rule), ['patch-titles']);
    // Each patch follows its RFC predecessor, not the other way round.
    const lineage = linkLineage(series[0]);
    assert.ok(lineage.length > 0);
    const rfc = series[0].revisions[0].key;
    assert.ok(lineage.every((l) => l.fromRevision === rfc));
  });

  test('an RFC v1 followed by v2 keeps the numbers order, which is also the dates order', async () => {
    const series = await relabelled('[RFC PATCH', '[PATCH v2');
    assert.deepEqual(names(series[0]), ['RFC v1', 'v2']);
  });

  test('an RFC posted after the patches (v1, then RFC v2) comes after them', async () => {
    const series = await relabelled('[PATCH', '[RFC PATCH v2');
    assert.deepEqual(names(series[0]), ['v1', 'RFC v2']);
  });
});

describe('retitled re-rolls', () => {
  // revision-no-cover-letter with every v2 patch retitled: no title or cover in common, only the diffs.
  async function retitled() {
    const messages = (await readMboxMessages(resolve(PW, 'revision-no-cover-letter.mbox'))).map((m) =>
      m.subject.version === 2 ? { ...m, subject: parseSubject(m.subject.raw.replace(/\] .*/, `] reworded: ${m.subject.index === 1 ? 'ipsum text' : 'markdown format'}`)) } : m,
    );
    return { messages, series: linkVersions(groupRevisions(messages).revisions, { messages }) };
  }

  test('revisions are linked by the files their patches touch', async () => {
    const { series } = await retitled();
    assert.equal(series.length, 1);
    assert.deepEqual(series[0].next.map((n) => n.rule), ['patch-diff']);
    assert.match(series[0].next[0].evidence, /same author and total, v1\/v2, touched files overlap 1\.00/);
  });

  test('each retitled patch follows its predecessor by diff similarity', async () => {
    const { messages, series } = await retitled();
    const links = linkLineage(series[0], { messages });
    assert.deepEqual(
      links.map((l) => [l.from, l.to, l.rule]),
      [
        ['1473632524-8585-2-git-send-email-stephenfinucane@gmail.com', '1473633236-10676-1-git-send-email-stephenfinucane@gmail.com', 'diff'],
        ['1473632524-8585-3-git-send-email-stephenfinucane@gmail.com', '1473633236-10676-2-git-send-email-stephenfinucane@gmail.com', 'diff'],
      ],
    );
  });

  test('without the messages no diff evidence is claimed', async () => {
    const { messages } = await retitled();
    assert.equal(linkVersions(groupRevisions(messages).revisions).length, 2);
  });
});

describe('merged and split patches (revision-basic, with one re-roll folding 2/2 into 1/2)', () => {
  // The real v1/v2 mails of revision-basic; `fold` gives 1/2 the diff of 2/2 as well (inserted before
  // 1/2's `-- ` signature, as git would write one patch touching both) and drops 2/2.
  async function basic() {
    const messages = await readMboxMessages(resolve(PW, 'revision-basic.mbox'));
    const pick = (v: number | null, i: number) => {
      const m = messages.find((x) => x.subject.version === v && x.subject.index === i);
      assert.ok(m);
      return m;
    };
    const fold = (v: number | null) => {
      const one = pick(v, 1);
      const two = pick(v, 2);
      const cut = one.body.lastIndexOf('\n-- \n');
      assert.ok(cut > 0);
      const merged = { ...one, body: `${one.body.slice(0, cut)}\n${two.body.slice(two.body.indexOf('diff --git'))}` };
      return messages.filter((m) => m !== two).map((m) => (m === one ? merged : m));
    };
    return { messages, pick, fold };
  }

  test('v1 2/2 is merged into v2 1/2', async () => {
    const { pick, fold } = await basic();
    const folded = fold(2);
    const [s] = linkVersions(groupRevisions(folded).revisions, { messages: folded });
    const links = linkLineage(s, { messages: folded });
    assert.deepEqual(
      links.map((l) => [l.from, l.to, l.rule]),
      [
        [pick(null, 1).msgid, pick(2, 1).msgid, 'title'],
        [pick(null, 2).msgid, pick(2, 1).msgid, 'merge'],
      ],
    );
    assert.match(links[1].evidence, /merged: 100% of the old patch's changed lines reappear in the new one/);
  });

  test('a re-roll that splits v1 1/2 back into two patches: the new 2/2 is split off the old 1/2', async () => {
    const { pick, fold } = await basic();
    // v1 is the folded 1/2; v2 re-sends the original two v1 patches as `[PATCH v2 n/2]` with new ids.
    const v1 = fold(null).filter((m) => m.subject.version === null);
    const resent = [pick(null, 1), pick(null, 2)].map((m) => ({
      ...m,
      msgid: `resent-${m.msgid}`,
      inReplyTo: null,
      references: [],
      date: pick(2, m.subject.index ?? 1).date,
      subject: parseSubject(m.subject.raw.replace('[PATCH ', '[PATCH v2 ')),
    }));
    const all = [...v1, ...resent];
    const [s] = linkVersions(groupRevisions(all).revisions, { messages: all });
    const links = linkLineage(s, { messages: all });
    assert.deepEqual(
      links.map((l) => [l.from, l.to, l.rule, l.score]),
      [
        [pick(null, 1).msgid, resent[0].msgid, 'title', 1],
        [pick(null, 1).msgid, resent[1].msgid, 'split', 1],
      ],
    );
  });

  test('no split is claimed when less than half of a new patch comes from the old one', async () => {
    // Folded v1 against the real v2, whose 2/2 also extended the text: 14 of its 30 changed lines are from v1.
    const { pick, fold } = await basic();
    const folded = fold(null);
    const [s] = linkVersions(groupRevisions(folded).revisions, { messages: folded });
    const links = linkLineage(s, { messages: folded });
    assert.deepEqual(links.map((l) => [l.from, l.to, l.rule]), [[pick(null, 1).msgid, pick(2, 1).msgid, 'title']]);
  });

  test('an unchanged re-roll has neither splits nor merges', async () => {
    const { messages } = await basic();
    const [s] = linkVersions(groupRevisions(messages).revisions, { messages });
    assert.ok(linkLineage(s, { messages }).every((l) => l.rule === 'title'));
  });
});

describe('each patch is linked to its predecessor', () => {
  test('revision-basic: v1 n/2 → v2 n/2 by title', async () => {
    const messages = await readMboxMessages(resolve(PW, 'revision-basic.mbox'));
    const [s] = linkVersions(groupRevisions(messages).revisions, { messages });
    const links = linkLineage(s, { messages });
    assert.deepEqual(
      links.map((l) => [l.from, l.to, l.rule]),
      [
        ['1473632524-8585-2-git-send-email-stephenfinucane@gmail.com', '1473632795-9971-2-git-send-email-stephenfinucane@gmail.com', 'title'],
        ['1473632524-8585-3-git-send-email-stephenfinucane@gmail.com', '1473632795-9971-3-git-send-email-stephenfinucane@gmail.com', 'title'],
      ],
    );
  });

  test('revision-basic: the same pairs are found from the diffs alone', async () => {
    const messages = await readMboxMessages(resolve(PW, 'revision-basic.mbox'));
    const [s] = linkVersions(groupRevisions(messages).revisions, { messages });
    const links = linkLineage(s, { messages, rules: ['diff'] });
    assert.deepEqual(
      links.map((l) => [l.from.split('-')[2], l.to.split('-')[2], l.rule]),
      [
        ['2', '2', 'diff'],
        ['3', '3', 'diff'],
      ],
    );
    assert.ok(links.every((l) => l.score >= 0.5));
  });

  test('partial re-roll: v3 2/2 follows v2 2/2; the carried 1/2 is the same patch, not a new link', async () => {
    const messages = await readMboxMessages(resolve(B4, 'trailers-followup-partial-reroll.mbox'));
    const all = linkVersions(groupRevisions(messages).revisions, { messages });
    assert.equal(all.length, 1);
    const links = linkLineage(all[0], { messages });
    assert.deepEqual(links.map((l) => [l.from, l.to, l.rule]), [['patch-2-message@example.com', 'patch-v3-2-message@example.com', 'title']]);
  });
});

describe('a series split in two', () => {
  // Joao Martins' device-dax compound pages work on nvdimm@lists.linux.dev (2021–22): v4 (14
  // patches) was re-posted as two series, "compound pages in devmap" (v5 on 2021-11-12, v6…) and
  // the sparse-vmemmap savings split off from it (v5 on 2022-02-10, v6…). Cover titles, patch
  // titles, dates and Message-IDs are the postings'; each mail is a patch of
  // revision-no-cover-letter.mbox relabelled with them.
  const JOAO = { name: 'Joao Martins', address: 'joao.m.martins@oracle.com', obfuscated: false };
  const postings = [
    { v: 4, date: '2021-08-27T14:58:05Z', id: '20210827145819.16471', cover: 'mm, sparse-vmemmap: Introduce compound devmaps for device-dax', titles: ['memory-failure: fetch compound_head after pgmap_pfn_valid()', 'mm/page_alloc: split prep_compound_page into head and tail subparts', 'mm/page_alloc: refactor memmap_init_zone_device() page init', 'mm/memremap: add ZONE_DEVICE support for compound pages', 'device-dax: use ALIGN() for determining pgoff', 'device-dax: ensure dev_dax->pgmap is valid for dynamic devices', 'device-dax: compound devmap support', 'mm/gup: grab head page refcount once for group of subpages', 'mm/sparse-vmemmap: add a pgmap argument to section activation', 'mm/sparse-vmemmap: refactor core of vmemmap_populate_basepages() to helper', 'mm/hugetlb_vmemmap: move comment block to Documentation/vm', 'mm/sparse-vmemmap: populate compound devmaps', 'mm/page_alloc: reuse tail struct pages for compound devmaps', 'mm/sparse-vmemmap: improve memory savings for compound pud geometry'] },
    { v: 5, date: '2021-11-12T15:08:16Z', id: '20211112150824.11028', cover: 'mm, dax: Introduce compound pages in devmap', titles: ['memory-failure: fetch compound_head after pgmap_pfn_valid()', 'mm/page_alloc: split prep_compound_page into head and tail subparts', 'mm/page_alloc: refactor memmap_init_zone_device() page init', 'mm/memremap: add ZONE_DEVICE support for compound pages', 'device-dax: use ALIGN() for determining pgoff', 'device-dax: use struct_size()', 'device-dax: ensure dev_dax->pgmap is valid for dynamic devices', 'device-dax: compound devmap support'] },
    { v: 5, date: '2022-02-10T19:33:40Z', id: '20220210193345.23628', cover: 'sparse-vmemmap: memory savings for compound devmaps (device-dax)', titles: ['mm/sparse-vmemmap: add a pgmap argument to section activation', 'mm/sparse-vmemmap: refactor core of vmemmap_populate_basepages() to helper', 'mm/hugetlb_vmemmap: move comment block to Documentation/vm', 'mm/sparse-vmemmap: improve memory savings for compound devmaps', 'mm/page_alloc: reuse tail struct pages for compound devmaps'] },
    { v: 6, date: '2021-11-24T19:09:55Z', id: '20211124191005.20783', cover: 'mm, device-dax: Introduce compound pages in devmap', titles: ['memory-failure: fetch compound_head after pgmap_pfn_valid()', 'mm/page_alloc: split prep_compound_page into head and tail subparts', 'mm/page_alloc: refactor memmap_init_zone_device() page init', 'mm/memremap: add ZONE_DEVICE support for compound pages', 'device-dax: use ALIGN() for determining pgoff', 'device-dax: use struct_size()', 'device-dax: ensure dev_dax->pgmap is valid for dynamic devices', 'device-dax: factor out page mapping initialization', 'device-dax: set mapping prior to vmf_insert_pfn{,_pmd,pud}()', 'device-dax: compound devmap support'] },
    { v: 6, date: '2022-02-23T19:48:02Z', id: '20220223194807.12070', cover: 'sparse-vmemmap: memory savings for compound devmaps (device-dax)', titles: ['mm/sparse-vmemmap: add a pgmap argument to section activation', 'mm/sparse-vmemmap: refactor core of vmemmap_populate_basepages() to helper', 'mm/hugetlb_vmemmap: move comment block to Documentation/vm', 'mm/sparse-vmemmap: improve memory savings for compound devmaps', 'mm/page_alloc: reuse tail struct pages for compound devmaps'] },
  ];

  test('keeps two branches from the revision both halves came from, each link with direct evidence', async () => {
    const [patch] = (await readMboxMessages(resolve(PW, 'revision-no-cover-letter.mbox'))).filter((m) => (m.subject.index ?? 0) > 0);
    const mail = (id: string, n: number, total: number, v: number, title: string, date: string) => ({
      ...patch,
      msgid: `${id}-${n + 1}-joao.m.martins@oracle.com`,
      from: JOAO,
      date: new Date(Date.parse(date) + n * 1000).toISOString(),
      inReplyTo: n === 0 ? null : `${id}-1-joao.m.martins@oracle.com`,
      references: n === 0 ? [] : [`${id}-1-joao.m.martins@oracle.com`],
      subject: parseSubject(`[PATCH v${v} ${n}/${total}] ${title}`),
      ...(n === 0 ? { body: 'The cover letter.', attachments: [] } : {}),
    });
    const messages = postings.flatMap((p) => [mail(p.id, 0, p.titles.length, p.v, p.cover, p.date), ...p.titles.map((t, i) => mail(p.id, i + 1, p.titles.length, p.v, t, p.date))]);
    const series = linkVersions(groupRevisions(messages).revisions, { messages });
    assert.equal(series.length, 1);
    const [s] = series;
    const name = new Map(s.revisions.map((r) => [r.key, `v${r.revision.version} ${r.revision.date?.slice(0, 7)}`]));
    assert.deepEqual(
      s.next.map((n) => `${name.get(n.from)} → ${name.get(n.to)} (${n.rule})`),
      [
        'v4 2021-08 → v5 2021-11 (patch-titles)',
        'v4 2021-08 → v5 2022-02 (patch-titles)',
        'v5 2021-11 → v6 2021-11 (patch-titles)',
        'v5 2022-02 → v6 2022-02 (cover-subject)',
      ],
    );
  });
});
