import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PEERS_DIR } from '../../test/fixtures.js';
import type { Message } from '../model.js';
import { MboxSplitter } from '../sources/mboxSplitter.js';
import { createParserPool } from './pool.js';
import { NotAMailError, parseRfc822 } from './rfc822.js';

function mails(rel: string): Buffer[] {
  const s = new MboxSplitter();
  return [...s.push(readFileSync(resolve(PEERS_DIR, rel))), ...s.end()].map((m) => m.bytes);
}

const corpus = [
  ...mails('lfdr-list-archives/lakml-gic-v3-its-disabled-irq-2020.mbox'),
  ...mails('lfdr-list-archives/kvmarm-pmu-disabled-counters-2021.mbox'),
  ...mails('public-inbox/x-unknown-alpine.eml'),
  ...mails('public-inbox/iso-2202-jp.eml'),
];

describe('parser pool', () => {
  test('two worker threads give exactly what parseRfc822 gives in-thread, for every call', async () => {
    const pool = createParserPool({ workers: 2, maxInFlight: 3 });
    assert.equal(pool.workers, 2);
    try {
      const prov = (i: number) => ({ source: 'pool-test', format: 'mbox' as const, offset: i });
      const viaPool = await Promise.all(corpus.map((b, i) => pool.parse(b, prov(i))));
      const inThread: Message[] = [];
      for (const [i, b] of corpus.entries()) inThread.push(await parseRfc822(b, prov(i)));
      assert.deepEqual(viaPool, inThread);
    } finally {
      await pool.close();
    }
  });

  test('a view on a larger buffer sends only its own bytes', async () => {
    const pool = createParserPool({ workers: 1 });
    try {
      const big = Buffer.concat([Buffer.from('Subject: decoy\n\nnot this\n'), corpus[0], Buffer.from('\ntrailing junk')]);
      const view = big.subarray(25, 25 + corpus[0].length);
      const m = await pool.parse(view, { source: 'v', format: 'mbox', offset: 0 });
      assert.equal(m.msgid, '20200529015501.15771-1-alisaidi@amazon.com');
      assert.equal(m.provenance.length, corpus[0].length);
    } finally {
      await pool.close();
    }
  });

  test('errors come back as errors of the same kind; the pool keeps working', async () => {
    const pool = createParserPool({ workers: 2 });
    try {
      await assert.rejects(pool.parse(Buffer.from('\n\n'), { source: 'e', format: 'eml', offset: 0 }), NotAMailError);
      const m = await pool.parse(corpus[1], { source: 'e', format: 'eml', offset: 1 });
      assert.equal(m.provenance.offset, 1);
    } finally {
      await pool.close();
    }
    await assert.rejects(pool.parse(corpus[0], { source: 'e', format: 'eml', offset: 0 }), /closed/);
  });

  test('back-pressure: with maxInFlight 2, the third parse waits until one finishes', async () => {
    const pool = createParserPool({ workers: 1, maxInFlight: 2 });
    try {
      const order: number[] = [];
      const seen: number[] = [];
      const ps = [0, 1, 2, 3, 4, 5].map((i) =>
        pool.parse(corpus[i], { source: 'b', format: 'mbox', offset: i }).then((m) => {
          seen.push(pool.inFlight());
          order.push(m.provenance.offset);
        }),
      );
      // Two were handed to the worker at once; the other four wait for a slot.
      assert.equal(pool.inFlight(), 2);
      await Promise.all(ps);
      assert.ok(seen.every((n) => n <= 2), `in flight: ${seen.join(',')}`);
      assert.deepEqual([...order].sort(), [0, 1, 2, 3, 4, 5]);
    } finally {
      await pool.close();
    }
  });

  test('workers: 0 parses on the calling thread', async () => {
    const pool = createParserPool({ workers: 0 });
    assert.equal(pool.workers, 0);
    const m = await pool.parse(corpus[0], { source: 'z', format: 'mbox', offset: 0 });
    assert.deepEqual(m, await parseRfc822(corpus[0], { source: 'z', format: 'mbox', offset: 0 }));
    await pool.close();
  });
});

describe('parser pool: a worker that runs out of memory', () => {
  test('its message is parsed on the calling thread, a new worker takes over, nothing is lost', async () => {
    // A real mail from the corpus, then the same mail with a To: list of 100,000 addresses,
    // far more than a 16 MB worker heap holds while parsing.
    const pool = createParserPool({ workers: 1, heapMb: 16 });
    try {
      const prov = (i: number) => ({ source: 'oom', format: 'mbox' as const, offset: i });
      const first = await pool.parse(corpus[0], prov(0));
      assert.equal(first.msgid, '20200529015501.15771-1-alisaidi@amazon.com');
      assert.equal(pool.deaths(), 0);
      const to = Array.from({ length: 100_000 }, (_, i) => `Reviewer Number ${i} <reviewer${i}@example.org>`).join(',\n ');
      const huge = Buffer.from(corpus[0].toString('latin1').replace(/^To: /m, `To: ${to},\n `), 'latin1');
      const viaPool = await pool.parse(huge, prov(1));
      assert.equal(pool.deaths(), 1);
      assert.deepEqual(viaPool, await parseRfc822(huge, prov(1)));
      const after = await pool.parse(corpus[1], prov(2));
      assert.deepEqual(after, await parseRfc822(corpus[1], prov(2)));
      assert.equal(pool.deaths(), 1);
    } finally {
      await pool.close();
    }
  });
});
