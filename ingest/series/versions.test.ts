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
