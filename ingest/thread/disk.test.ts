// The disk-backed threader must give the forest the in-memory Threader gives, container for
// container: on the seeds, on the peer corpus, and on random reference graphs with cycles,
// self-references, missing parents and header-less replies.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import type { ThreadAssignment, ThreadingRecord } from '../../graph/store.js';
import { openSqliteStore } from '../../graph/sqlite/store.js';
import { PEERS_DIR, requireShared, SAMPLES_DIR } from '../../test/fixtures.js';
import { ingest } from '../pipeline.js';
import type { ParentMethod } from '../model.js';
import { DiskThreader } from './disk.js';
import { SUBJECT_GHOST_DOMAIN, subjectGhostId, threadMessages } from './jwz.js';

interface Threaded {
  forest: ThreadAssignment[];
  threads: number;
  ghosts: number;
}

function inMemory(records: ThreadingRecord[]): Threaded {
  const { assignments, threads, ghosts } = threadMessages(records);
  return { forest: assignments, threads, ghosts };
}

function onDisk(records: ThreadingRecord[], cacheKiB?: number): Threaded {
  const threader = new DiskThreader({ cacheKiB });
  try {
    for (const r of records) threader.add(r);
    const { forest, threads, ghosts } = threader.finish();
    const first = [...forest];
    // The forest reads the scratch database again each time it is iterated.
    assert.deepEqual([...forest], first);
    return { forest: first, threads, ghosts };
  } finally {
    threader.close();
  }
}

const byMsgid = (forest: ThreadAssignment[]): ThreadAssignment[] =>
  [...forest].sort((a, b) => (a.msgid < b.msgid ? -1 : a.msgid > b.msgid ? 1 : 0));

/** Every parent comes before its children (what lets a store write the forest as it reads it). */
function parentsFirst(forest: ThreadAssignment[]): boolean {
  const seen = new Set<string>();
  for (const a of forest) {
    if (a.parent !== null && !seen.has(a.parent)) return false;
    seen.add(a.msgid);
  }
  return true;
}

function assertSameForest(records: ThreadingRecord[], cacheKiB?: number): Threaded {
  const expected = inMemory(records);
  const actual = onDisk(records, cacheKiB);
  assert.equal(actual.forest.length, expected.forest.length);
  assert.deepEqual(byMsgid(actual.forest), byMsgid(expected.forest));
  assert.equal(actual.threads, expected.threads);
  assert.equal(actual.ghosts, expected.ghosts);
  assert.ok(parentsFirst(actual.forest), 'parents before children');
  return actual;
}

/** Threading records of `paths` as a store hands them to rethread (ingested, derive off). */
async function recordsOf(paths: string[]): Promise<ThreadingRecord[]> {
  const store = await openSqliteStore(':memory:');
  try {
    await ingest(paths, store, { workers: 0, derive: false });
    const out: ThreadingRecord[] = [];
    for await (const r of store.threadingRecords()) out.push(r);
    return out;
  } finally {
    await store.close();
  }
}

function methods(forest: ThreadAssignment[]): Set<ParentMethod | null> {
  return new Set(forest.map((a) => a.method));
}

/** Do the records' own header parents (In-Reply-To, else the last reference) close a cycle? */
function hasHeaderCycle(records: ThreadingRecord[]): boolean {
  const parent = new Map<string, string>();
  for (const r of records) {
    const p = r.inReplyTo ?? r.references[r.references.length - 1];
    if (p) parent.set(r.msgid, p);
  }
  for (const start of parent.keys()) {
    const seen = new Set<string>();
    for (let c: string | undefined = start; c !== undefined; c = parent.get(c)) {
      if (seen.has(c)) return true;
      seen.add(c);
    }
  }
  return false;
}

describe('DiskThreader gives the forest Threader gives', () => {
  test('on the five seeds: header links, inferred parents, subject gathering and ghosts', async () => {
    const records = await recordsOf([SAMPLES_DIR]);
    assert.ok(records.length > 100);
    const { forest, ghosts } = assertSameForest(records);
    const seen = methods(forest);
    for (const m of ['in-reply-to', 'attribution', 'subject'] as const) assert.ok(seen.has(m), `the seeds exercise ${m}`);
    assert.ok(ghosts > 0);
    // A small page cache changes nothing but where the pages are.
    assertSameForest(records, 64);
  });

  test('on each part of the peer corpus, and on all of it together', async () => {
    requireShared();
    const parts = readdirSync(PEERS_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => resolve(PEERS_DIR, d.name))
      .sort();
    assert.ok(parts.length >= 4);
    let total = 0;
    for (const part of parts) {
      const records = await recordsOf([part]);
      assertSameForest(records);
      total += records.length;
    }
    const all = await recordsOf(parts);
    assert.ok(all.length > 150 && all.length <= total);
    const { forest } = assertSameForest(all);
    assert.ok(methods(forest).has('references'));
  });

  test('on random reference graphs: cycles, self-references, missing parents, header-less replies', () => {
    const subjects = ['', 'Alpha', 'alpha', 'beta'];
    // A pool of ids in which some stand for the subject ghosts, so even those collisions agree.
    const pool = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'].map((x) => `${x}@x`)
      .concat(subjectGhostId('alpha'), subjectGhostId('beta'));
    const id = fc.constantFrom(...pool);
    const method = fc.constantFrom<ParentMethod>('attribution', 'quote', 'date');
    const noHeaders = fc.constant({ inReplyTo: null, references: [] as string[] });
    const headers = fc.record({ inReplyTo: fc.option(id, { nil: null }), references: fc.array(id, { maxLength: 6 }) });
    const record = fc.record({
      headers: fc.oneof(noHeaders, headers, headers),
      normalizedSubject: fc.constantFrom(...subjects),
      isReply: fc.boolean(),
      inferredParent: fc.option(
        fc.record({ parent: id, method, confidence: fc.double({ min: 0, max: 1, noNaN: true }), evidence: fc.string({ maxLength: 8 }) }),
        { nil: null },
      ),
    });
    const graph = fc
      .uniqueArray(id, { minLength: 0, maxLength: pool.length })
      .chain((ids) => fc.tuple(fc.constant(ids), fc.array(record, { minLength: ids.length, maxLength: ids.length })))
      .map(([ids, rest]): ThreadingRecord[] =>
        ids.map((msgid, i) => {
          const { headers: h, ...r } = rest[i];
          return { msgid, date: null, ...h, ...r };
        }),
      );
    // How often the runs hit the cases that matter (about 130, 210, 14 and 87 of 600), so a generator
    // that stopped making them fails.
    const hits = { cycle: 0, inferred: 0, subjectOriginal: 0, subjectGhost: 0 };
    fc.assert(
      fc.property(graph, (records) => {
        const { forest } = assertSameForest(records);
        if (hasHeaderCycle(records)) hits.cycle++;
        const seen = methods(forest);
        if (seen.has('attribution') || seen.has('quote') || seen.has('date')) hits.inferred++;
        const bySubject = forest.filter((a) => a.method === 'subject');
        if (bySubject.some((a) => a.confidence === 0.5)) hits.subjectOriginal++;
        if (bySubject.some((a) => a.parent?.endsWith(`@${SUBJECT_GHOST_DOMAIN}`))) hits.subjectGhost++;
      }),
      { numRuns: 600 },
    );
    for (const [what, n] of Object.entries(hits)) assert.ok(n >= 3, `${what}: ${n} of 600 runs`);
  });
});
