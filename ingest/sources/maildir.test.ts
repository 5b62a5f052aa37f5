import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PEERS_DIR, WORK_DIR } from '../../test/fixtures.js';
import type { RawItem, Skip } from '../model.js';
import { isMaildir, readMaildir } from './maildir.js';

const MD = resolve(WORK_DIR, 'sources-maildir', 'Mail');
const eml = (p: string): Buffer => readFileSync(resolve(PEERS_DIR, p));

describe('maildir', () => {
  before(() => {
    rmSync(MD, { recursive: true, force: true });
    for (const d of ['cur', 'new', 'tmp']) mkdirSync(resolve(MD, d), { recursive: true });
    writeFileSync(resolve(MD, 'cur', '1600000000.M1P1.host:2,S'), eml('public-inbox/utf8.eml'));
    writeFileSync(resolve(MD, 'cur', '1600000001.M2P1.host:2,RS'), eml('public-inbox/plack-qp.eml'));
    writeFileSync(resolve(MD, 'new', '1600000002.M3P1.host'), eml('public-inbox/iso-2202-jp.eml'));
    // A delivery still in progress and an empty file are not messages.
    writeFileSync(resolve(MD, 'tmp', '1600000003.M4P1.host'), eml('public-inbox/mda-mime.eml'));
    writeFileSync(resolve(MD, 'new', '1600000004.M5P1.host'), '');
  });

  test('reads cur/ then new/, in name order, never tmp/', async () => {
    assert.equal(await isMaildir(MD), true);
    assert.equal(await isMaildir(resolve(MD, 'cur')), false);
    const skips: Skip[] = [];
    const items: (RawItem & { kind: 'rfc822' })[] = [];
    for await (const it of readMaildir(MD, { onSkip: (s) => skips.push(s) })) if (it.kind === 'rfc822') items.push(it);
    assert.deepEqual(
      items.map((i) => i.provenance.source.split('/').slice(-2).join('/')),
      ['cur/1600000000.M1P1.host:2,S', 'cur/1600000001.M2P1.host:2,RS', 'new/1600000002.M3P1.host'],
    );
    assert.ok(items[0].bytes.equals(eml('public-inbox/utf8.eml')));
    assert.ok(items.every((i) => i.provenance.format === 'maildir' && i.provenance.offset === 0));
    assert.equal(skips.length, 1);
    assert.equal(skips[0].reason, 'empty file');
  });
});
