import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PEERS_DIR, WORK_DIR } from '../../test/fixtures.js';
import type { RawItem, Skip } from '../model.js';
import { MboxSplitter } from './mboxSplitter.js';
import { listEpochs, readPublicInbox } from './publicInbox.js';

const ROOT = resolve(WORK_DIR, 'sources-public-inbox');
const INBOX = resolve(ROOT, 'inbox');

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'loregraph test',
      GIT_AUTHOR_EMAIL: 'test@example.invalid',
      GIT_COMMITTER_NAME: 'loregraph test',
      GIT_COMMITTER_EMAIL: 'test@example.invalid',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: ROOT,
    },
  }).trim();
}

function messagesOf(file: string): Buffer[] {
  const s = new MboxSplitter();
  return [...s.push(readFileSync(resolve(PEERS_DIR, file))), ...s.end()].map((m) => m.bytes);
}

/**
 * A public-inbox v2 epoch the way public-inbox writes one: each commit's tree holds the message
 * as the single file `m`; a deletion commit holds `d` instead. Built in a work tree, then cloned bare.
 */
function buildEpoch(name: string, mails: Buffer[], deleteAfter: number | null): string[] {
  const work = resolve(ROOT, `${name}-work`);
  mkdirSync(work, { recursive: true });
  git(work, 'init', '-q', '-b', 'master');
  const commits: string[] = [];
  mails.forEach((m, i) => {
    try {
      unlinkSync(resolve(work, 'd'));
      git(work, 'rm', '-q', '--cached', 'd');
    } catch {
      // no deletion marker in the previous commit
    }
    writeFileSync(resolve(work, 'm'), m);
    git(work, 'add', 'm');
    git(work, 'commit', '-q', '-m', `message ${i}`);
    commits.push(git(work, 'rev-parse', 'HEAD'));
    if (deleteAfter === i) {
      git(work, 'rm', '-q', 'm');
      writeFileSync(resolve(work, 'd'), m);
      git(work, 'add', 'd');
      git(work, 'commit', '-q', '-m', 'delete');
      commits.push(git(work, 'rev-parse', 'HEAD'));
    }
  });
  git(ROOT, 'clone', '-q', '--bare', work, resolve(INBOX, 'git', `${name}.git`));
  return commits;
}

let epoch0: string[] = [];
let epoch1: string[] = [];
const mails0 = messagesOf('lfdr-list-archives/nvdimm-btt-block-integrity-2024.mbox').slice(0, 5);
const mails1 = messagesOf('lfdr-list-archives/kvmarm-pmu-disabled-counters-2021.mbox').slice(0, 3);

describe('public-inbox v2', () => {
  before(() => {
    rmSync(ROOT, { recursive: true, force: true });
    mkdirSync(resolve(INBOX, 'git'), { recursive: true });
    epoch0 = buildEpoch('0', mails0, 2);
    epoch1 = buildEpoch('1', mails1, null);
    // Epochs sort numerically: `10.git` comes after `1.git`, not between `0.git` and `1.git`.
    buildEpoch('10', mails1.slice(0, 1), null);
  });

  test('an inbox directory lists its epochs in numeric order', async () => {
    const epochs = await listEpochs(INBOX);
    assert.deepEqual(
      epochs.map((e) => e.split('/').pop()),
      ['0.git', '1.git', '10.git'],
    );
    assert.deepEqual(await listEpochs(resolve(INBOX, 'git', '1.git')), [resolve(INBOX, 'git', '1.git')]);
    assert.deepEqual(await listEpochs(ROOT), []);
  });

  test('walks every epoch oldest commit first; blobs byte-exact with commit and blob ids; deletions are skips', async () => {
    const skips: Skip[] = [];
    const items: (RawItem & { kind: 'rfc822' })[] = [];
    for await (const it of readPublicInbox(INBOX, { onSkip: (s) => skips.push(s) })) {
      if (it.kind === 'rfc822') items.push(it);
    }
    assert.equal(items.length, 5 + 3 + 1);
    const e0 = resolve(INBOX, 'git', '0.git');
    const first = items.filter((i) => i.provenance.source === e0);
    assert.equal(first.length, 5);
    first.forEach((it, k) => assert.ok(it.bytes.equals(mails0[k]), `epoch 0 message ${k}`));
    // Walk index 3 is the deletion commit, so messages 3 and 4 sit at walk indexes 4 and 5.
    assert.deepEqual(
      first.map((i) => i.provenance.offset),
      [0, 1, 2, 4, 5],
    );
    assert.deepEqual(
      first.map((i) => i.provenance.commit),
      [epoch0[0], epoch0[1], epoch0[2], epoch0[4], epoch0[5]],
    );
    for (const it of items) {
      assert.equal(it.provenance.format, 'public-inbox');
      const blob = git(ROOT, '--git-dir', it.provenance.source, 'rev-parse', `${it.provenance.commit}:m`);
      assert.equal(it.provenance.blob, blob);
    }
    const second = items.filter((i) => i.provenance.source === resolve(INBOX, 'git', '1.git'));
    assert.deepEqual(second.map((i) => i.provenance.commit), epoch1);
    assert.equal(skips.length, 1);
    assert.equal(skips[0].source, e0);
    assert.equal(skips[0].offset, 3);
    assert.match(skips[0].reason, /deletion commit/);
  });
});
