import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PEERS_DIR, SEED } from '../../test/fixtures.js';
import { readMboxMessages } from '../series/testMbox.js';
import { parseMailArchiveDump } from '../sources/mailArchive.js';
import { byDate } from '../series/classify.js';
import { resolveIdentities } from '../identity/index.js';
import type { Message } from '../model.js';
import { digestMessage, packDigest } from './digest.js';
import { DigestStore } from './digestStore.js';
import { seriesStep, wholeSeriesGraph } from './series.js';

/** As a store holds them: one message per Message-ID (the first read). */
function distinct(messages: readonly Message[]): Message[] {
  const seen = new Set<string>();
  return messages.filter((m) => !seen.has(m.msgid) && seen.add(m.msgid));
}

function withStore<T>(digests: readonly Message[], f: (s: DigestStore) => T): T {
  const store = new DigestStore({ decoded: 4 });
  try {
    // Packed as the derive workers send them, in batches as the derive stage stores them.
    for (let i = 0; i < digests.length; i += 7) {
      store.addPacked(digests.slice(i, i + 7).map((d) => ({ msgid: d.msgid, date: d.date, packed: packDigest(d) })));
    }
    return f(store);
  } finally {
    store.close();
  }
}

/** The series steps over the digests kept in a DigestStore give the graph they give over a list. */
function assertSameGraph(messages: readonly Message[], label: string): number {
  const digests = distinct(messages).map((m) => digestMessage(m));
  const identities = () => resolveIdentities(digests.map((d) => d.from));
  const fromList = wholeSeriesGraph(seriesStep(digests, identities()).parts());
  const fromStore = withStore(digests, (s) => wholeSeriesGraph(seriesStep(s, identities()).parts()));
  assert.deepEqual(fromStore, fromList, label);
  return fromList.series.length;
}

describe('the series steps read digests from the scratch store as from a list', () => {
  const dirs = ['b4', 'patchwork/series', 'lfdr-list-archives'];
  for (const dir of dirs) {
    const files = readdirSync(resolve(PEERS_DIR, dir)).filter((f) => f.endsWith('.mbox')).sort();
    test(`every ${dir} mbox (${files.length})`, async () => {
      assert.ok(files.length > 0);
      let series = 0;
      for (const f of files) series += assertSameGraph(await readMboxMessages(resolve(PEERS_DIR, dir, f)), `${dir}/${f}`);
      assert.ok(series > 0, `${dir}: some series found`);
    });
  }

  test('seed 002: four revisions of the sub-section hotplug series, lineage and trailers', () => {
    const { messages } = parseMailArchiveDump(readFileSync(SEED.danAuthorArchive, 'utf8'), SEED.danAuthorArchive);
    assert.ok(assertSameGraph(messages, 'seed 002') > 0);
  });
});

describe('DigestStore', () => {
  test('gives every digest once, in the series steps\' date order (undated last, ties as added)', async () => {
    const messages = distinct(await readMboxMessages(resolve(PEERS_DIR, 'lfdr-list-archives/lakml-gic-v3-its-disabled-irq-2020.mbox')));
    assert.ok(messages.length >= 5);
    // Two mails lose their date, and two share one, as dumps and broken clients make them.
    const digests = messages.map((m) => digestMessage(m));
    digests[1] = { ...digests[1], date: null };
    digests[3] = { ...digests[3], date: null };
    digests[4] = { ...digests[4], date: digests[0].date };
    const order = withStore(digests, (s) => [...s.inDateOrder()].map((d) => d.msgid));
    assert.deepEqual(order, byDate(digests).map((d) => d.msgid));
    assert.deepEqual(order.slice(-2), [digests[1].msgid, digests[3].msgid]);
  });

  test('looks digests up by Message-ID, keeps the first of a Message-ID and knows what it lacks', async () => {
    const messages = distinct(await readMboxMessages(resolve(PEERS_DIR, 'lfdr-list-archives/kvmarm-pmu-disabled-counters-2021.mbox')));
    const digests = messages.map((m) => digestMessage(m));
    const again = { ...digests[0], body: 'a second arrival' };
    withStore([...digests, again], (s) => {
      for (const d of digests) {
        assert.ok(s.has(d.msgid));
        assert.deepEqual(s.get(d.msgid), d); // from the database, then from the decoded cache
        assert.deepEqual(s.get(d.msgid), d);
      }
      assert.equal(s.get(digests[0].msgid)?.body, digests[0].body);
      assert.equal([...s.inDateOrder()].length, digests.length);
      assert.equal(s.has('not-here@example.org'), false);
      assert.equal(s.get('not-here@example.org'), undefined);
    });
  });
});
