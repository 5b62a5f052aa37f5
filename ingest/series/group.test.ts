import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { PEERS_DIR } from '../../test/fixtures.js';
import { readMboxMessages } from './testMbox.js';
import { groupRevisions } from './group.js';
import type { Grouping, Revision } from './types.js';

const PW = resolve(PEERS_DIR, 'patchwork/series');
const B4 = resolve(PEERS_DIR, 'b4');

function counts(g: Grouping): [number, number, number] {
  const n = { cover: 0, patch: 0, comment: 0 };
  for (const r of g.roles.values()) n[r.role] += 1;
  return [n.cover, n.patch, n.comment];
}

/** Revisions that hold at least one mail of their own, in date order (Patchwork's series list). */
function posted(g: Grouping): Revision[] {
  return g.revisions
    .filter((r) => r.rule !== 'reply-subject')
    .sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''));
}

function sizes(g: Grouping): number[] {
  return posted(g).map((r) => r.patches.filter((p) => p.rule !== 'carried' && p.msgid !== null).length);
}

function coverCounts(g: Grouping): number[] {
  return posted(g).map((r) => (r.cover && r.cover.rule !== 'carried' ? 1 : 0));
}

// Expectations of Patchwork's test_series.py as summarised in MANIFEST.md §2:
// [covers, patches, comments], patches per series in date order, and covers per series when stated.
const CASES: { file: string; counts: [number, number, number]; sizes: number[]; covers?: number[] }[] = [
  { file: 'base-cover-letter.mbox', counts: [1, 2, 0], sizes: [2], covers: [1] },
  { file: 'base-deep-threaded.mbox', counts: [1, 2, 0], sizes: [2], covers: [1] },
  { file: 'base-different-versions.mbox', counts: [1, 4, 0], sizes: [4], covers: [1] },
  { file: 'base-extra-patches.mbox', counts: [1, 3, 0], sizes: [3], covers: [1] },
  { file: 'base-incomplete.mbox', counts: [1, 1, 0], sizes: [1], covers: [1] },
  { file: 'base-no-cover-letter.mbox', counts: [0, 2, 0], sizes: [2], covers: [0] },
  { file: 'base-no-references-no-cover.mbox', counts: [1, 2, 0], sizes: [2], covers: [1] },
  { file: 'base-no-references.mbox', counts: [0, 2, 0], sizes: [2] },
  { file: 'base-out-of-order.mbox', counts: [1, 2, 0], sizes: [2], covers: [1] },
  { file: 'base-single-patch.mbox', counts: [0, 1, 0], sizes: [1] },
  { file: 'bugs-mixed-versions.mbox', counts: [0, 2, 0], sizes: [1, 1] },
  { file: 'bugs-multiple-content-types.mbox', counts: [0, 1, 1], sizes: [1] },
  { file: 'bugs-multiple-references.mbox', counts: [1, 4, 0], sizes: [4], covers: [1] },
  { file: 'bugs-nocover-noversion.mbox', counts: [0, 4, 0], sizes: [2, 2] },
  { file: 'bugs-nocover.mbox', counts: [0, 4, 0], sizes: [2, 2] },
  { file: 'bugs-spamming.mbox', counts: [0, 3, 0], sizes: [1, 1, 1] },
  { file: 'bugs-unnumbered.mbox', counts: [1, 2, 0], sizes: [1, 1], covers: [1, 0] },
  { file: 'mercurial-cover-letter.mbox', counts: [1, 2, 0], sizes: [2], covers: [1] },
  { file: 'mercurial-no-cover-letter.mbox', counts: [0, 2, 0], sizes: [2] },
  { file: 'revision-basic.mbox', counts: [2, 4, 0], sizes: [2, 2], covers: [1, 1] },
  { file: 'revision-no-cover-letter.mbox', counts: [1, 4, 0], sizes: [2, 2], covers: [1, 0] },
  { file: 'revision-out-of-order.mbox', counts: [2, 4, 0], sizes: [2, 2] },
  { file: 'revision-threaded-to-cover.mbox', counts: [2, 4, 0], sizes: [2, 2] },
  { file: 'revision-threaded-to-patch.mbox', counts: [2, 4, 0], sizes: [2, 2] },
  { file: 'revision-threaded-to-single-patch.mbox', counts: [0, 2, 0], sizes: [1, 1] },
  { file: 'revision-unlabeled-noreferences.mbox', counts: [0, 4, 0], sizes: [2, 2] },
  { file: 'revision-unlabeled.mbox', counts: [2, 4, 0], sizes: [2, 2] },
];

describe('Patchwork series fixtures are grouped as Patchwork groups them', () => {
  for (const c of CASES) {
    test(c.file, async () => {
      const g = groupRevisions(await readMboxMessages(resolve(PW, c.file)));
      assert.deepEqual(counts(g), c.counts);
      assert.deepEqual(sizes(g), c.sizes);
      if (c.covers) assert.deepEqual(coverCounts(g), c.covers);
    });
  }

  test('dependency-base-patch.mbox (the dependency target): one v1 revision, cover + 2 patches', async () => {
    const g = groupRevisions(await readMboxMessages(resolve(PW, 'dependency-base-patch.mbox')));
    assert.deepEqual(counts(g), [1, 2, 0]);
    assert.deepEqual(sizes(g), [2]);
    assert.equal(posted(g)[0].version, 1);
  });
});

describe('the rule that placed each patch is recorded', () => {
  test('threaded patches join by thread, unthreaded ones by author and time window', async () => {
    const threaded = groupRevisions(await readMboxMessages(resolve(PW, 'base-cover-letter.mbox')));
    assert.deepEqual(threaded.revisions[0].patches.map((p) => p.rule), ['thread', 'thread']);
    assert.match(threaded.revisions[0].patches[0].evidence, /1473632524-8585-1-git-send-email/);

    const unthreaded = groupRevisions(await readMboxMessages(resolve(PW, 'base-no-references.mbox')));
    const rev = unthreaded.revisions[0];
    assert.deepEqual(rev.patches.map((p) => p.rule), ['root', 'author-window']);
    assert.match(rev.patches[1].evidence, /no references; same author, v2, total 2, 514 s/);
  });

  test('a second 1/2 threaded under the first opens a new revision and says why', async () => {
    const g = groupRevisions(await readMboxMessages(resolve(PW, 'bugs-nocover-noversion.mbox')));
    const second = posted(g)[1];
    assert.match(second.evidence, /number 1 already taken/);
    assert.equal(second.rerollOf, null);
  });

  test('a v2 sent In-Reply-To the v1 patch is a re-roll of it', async () => {
    const g = groupRevisions(await readMboxMessages(resolve(PW, 'revision-threaded-to-single-patch.mbox')));
    const [v1, v2] = posted(g);
    assert.equal(v2.version, 2);
    assert.equal(v2.rerollOf?.revision, v1.id);
  });

  test('mercurial `n of N` markers group like n/N', async () => {
    const g = groupRevisions(await readMboxMessages(resolve(PW, 'mercurial-cover-letter.mbox')));
    assert.equal(g.revisions.length, 1);
    assert.equal(g.revisions[0].cover?.title, 'Sample Mercurial patches');
    assert.deepEqual(g.revisions[0].patches.map((p) => p.index), [1, 2]);
  });
});

describe('b4 cases', () => {
  test('naked cover: a same-author root mail is the cover of the single patch', async () => {
    const g = groupRevisions(await readMboxMessages(resolve(B4, 'naked-cover-single.mbox')));
    assert.equal(g.revisions.length, 1);
    const rev = g.revisions[0];
    assert.equal(rev.cover?.title, 'do a thing to the widget subsystem');
    assert.equal(g.roles.get('20221025-widget-v1-0-author@example.org')?.reason, 'naked-cover');
    assert.deepEqual(rev.patches.map((p) => p.msgid), ['20221025-widget-v1-1-author@example.org']);
  });

  test('naked cover: a bug report by someone else is not a cover', async () => {
    const g = groupRevisions(await readMboxMessages(resolve(B4, 'naked-cover-bugreport.mbox')));
    assert.equal(g.revisions.length, 1);
    assert.equal(g.revisions[0].cover, null);
    assert.deepEqual(g.roles.get('20221025-bugreport-widget@example.com'), { role: 'comment', reason: 'no-diff' });
    assert.deepEqual(g.unattached, ['20221025-bugreport-widget@example.com']);
  });

  test('partial re-roll: v3 2/2 In-Reply-To v2 2/2 is a v3 revision carrying v2 1/2', async () => {
    const g = groupRevisions(await readMboxMessages(resolve(B4, 'trailers-followup-partial-reroll.mbox')));
    assert.equal(g.revisions.length, 2);
    const v3 = g.revisions.find((r) => r.version === 3);
    assert.ok(v3);
    assert.equal(v3.rerollOf?.revision, 'cover-message@example.com');
    assert.deepEqual(
      v3.patches.map((p) => [p.index, p.msgid, p.rule]),
      [
        [1, 'patch-1-message@example.com', 'carried'],
        [2, 'patch-v3-2-message@example.com', 'root'],
      ],
    );
    assert.equal(v3.cover?.rule, 'carried');
  });

  test('a reply without `Re:` is a comment on the patch, found through In-Reply-To', async () => {
    const g = groupRevisions(await readMboxMessages(resolve(B4, 'trailers-followup-nore.mbox')));
    assert.deepEqual(counts(g), [0, 1, 1]);
    assert.deepEqual(g.comments.map((c) => [c.msgid, c.target, c.rule]), [
      ['fwup-message-1@example.com', 'orig-message@example.com', 'thread'],
    ]);
  });

  test('the b4 change-id of a cover letter is kept', async () => {
    const g = groupRevisions(await readMboxMessages(resolve(B4, 'shazam-git1-just-series.mbox')));
    assert.equal(g.revisions.length, 1);
    assert.equal(g.revisions[0].changeId, '20221025-test1-e8520c2200a3');
    assert.equal(g.revisions[0].patches.length, 4);
  });
});

describe('real postings that break the rules', () => {
  // Paul Walmsley's "[PATCH v4 0/8] riscv: resolve most warnings from sparse" (linux-riscv,
  // 2019-10-24) was followed by six "[PATCH v4 n/6]" replying to it. Patchwork's cover-letter
  // sample, its patches renumbered n/3 under the "0/2" cover, is that posting in small.
  const miscounted = async (sender?: string) =>
    (await readMboxMessages(resolve(PW, 'base-cover-letter.mbox'))).map((m) =>
      m.subject.index !== null && m.subject.index > 0
        ? { ...m, subject: { ...m.subject, total: 3 }, from: sender ? { ...m.from, address: sender } : m.from }
        : m,
    );

  test("patches that answer their own sender's cover are its patches, even when the cover counts them wrong", async () => {
    const g = groupRevisions(await miscounted());
    assert.equal(g.revisions.length, 1);
    const [rev] = g.revisions;
    assert.ok(rev.cover);
    assert.deepEqual(rev.patches.map((p) => [p.index, p.total, p.rule]), [[1, 3, 'thread'], [2, 3, 'thread']]);
    assert.equal(rev.total, 3);
    assert.match(rev.patches[0].evidence, /its total 3 is not the cover's 2 \(the author's count is off\)/);
  });

  test("an untagged diff answering someone else's mail is that mail quoted back, not a posting", async () => {
    // Mark Brown's `Applied "…" to the spi tree` and Greg's stable-tree notices carry the patch they
    // answer; on linux-arm-kernel 358 of them were series of their own. Patchwork's orphaned patch
    // (bugs-unnumbered.mbox) is its sender's own and stays a patch (the Patchwork case above).
    const input = await readMboxMessages(resolve(PW, 'bugs-unnumbered.mbox'));
    const orphan = input.find((m) => m.subject.normalized === 'This is an orphaned patch!');
    assert.ok(orphan);
    const notice = { ...orphan, from: { name: 'Mark Brown', address: 'broonie@kernel.org', obfuscated: false } };
    const g = groupRevisions(input.map((m) => (m === orphan ? notice : m)));
    assert.deepEqual(g.roles.get(orphan.msgid), { role: 'comment', reason: 'reply-with-diff' });
    assert.equal(g.revisions.length, 1);
    assert.ok(g.comments.some((c) => c.msgid === orphan.msgid && c.target === g.revisions[0].cover?.key));
  });

  test("someone else's patches under the cover still need its count", async () => {
    const g = groupRevisions(await miscounted('someone-else@example.org'));
    // The cover alone, and the other sender's two patches, posted together, as one posting.
    assert.deepEqual(g.revisions.map((r) => [r.cover !== null, r.patches.map((p) => `${p.index}/${p.total}:${p.rule}`)]), [
      [true, []],
      [false, ['1/3:root', '2/3:author-window']],
    ]);
  });

  test('a v2 whose cover and patches each reply to the v1 cover is one posting, not a re-roll per patch', async () => {
    // Arvind Sankar's "efi/gop: Refactoring + mode-setting feature" v2 (linux-efi, 2020-03-20):
    // the v2 cover and each v2 patch were sent In-Reply-To the v1 cover. Patchwork's v2 sample,
    // threaded that way, is the same posting in small.
    const input = await readMboxMessages(resolve(PW, 'revision-threaded-to-cover.mbox'));
    const v1cover = input.find((m) => m.subject.index === 0 && (m.subject.version ?? 1) === 1);
    assert.ok(v1cover);
    const siblings = input.map((m) => (m.subject.version === 2 ? { ...m, inReplyTo: v1cover.msgid, references: [v1cover.msgid] } : m));
    const g = groupRevisions(siblings);
    const v2 = g.revisions.filter((r) => r.version === 2);
    assert.equal(v2.length, 1);
    assert.ok(v2[0].cover);
    assert.deepEqual(v2[0].patches.map((p) => [p.index, p.rule]), [[1, 'author-window'], [2, 'author-window']]);
    assert.match(v2[0].patches[0].evidence, /its references lead to no revision that takes it \(<[^>]+>: version v2 ≠ v1\); same author, v2, total 2/);
  });
});
