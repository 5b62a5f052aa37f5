// The GraphStore contract as tests: one suite, registered once per backend, run on real mail.
// Every test starts from an empty store (opts.reset, then open) and closes it afterwards.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Message, Skip } from '../../ingest/model.js';
import { threadMessages } from '../../ingest/thread/jwz.js';
import { DiskThreader } from '../../ingest/thread/disk.js';
import type { ArchiveRecord, GraphStore, ThreadAssignment } from '../store.js';
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../store.js';
import { collect, distinctiveWords, jsonClone, KVMARM_MBOX, realMessages, threadingRecord } from './testData.js';
import { definePatchGraphContract } from './patches-suite.js';
import { defineClaimContract } from './claims-suite.js';

export interface StoreContractOptions {
  /** Empties the backing database before each test (for stores whose open() reuses one). */
  reset?(): Promise<void>;
  /** Why the suite cannot run here (e.g. no server); the tests are then skipped with this reason. */
  skip?: string | false;
}

type Open = () => Promise<GraphStore>;

function withStore(open: Open, opts: StoreContractOptions, body: (store: GraphStore) => Promise<void>): () => Promise<void> {
  return async () => {
    if (opts.reset) await opts.reset();
    const store = await open();
    try {
      await body(store);
    } finally {
      await store.close();
    }
  };
}

/** Stores messages and threads them the way an ingest does (records read back from the store). */
export async function ingestInto(store: GraphStore, messages: Message[]): Promise<ThreadAssignment[]> {
  await store.putMessages(messages);
  const { assignments } = threadMessages(await collect(store.threadingRecords()));
  await store.replaceThreadForest(assignments);
  return assignments;
}

function expectedStored(m: Message, sources: { source: string; format: string; offset: number }[]): unknown {
  return { ...jsonClone(m), sources };
}

export function defineStoreContract(name: string, open: Open, opts: StoreContractOptions = {}): void {
  const skip = opts.skip || undefined;
  const it = (title: string, body: (store: GraphStore) => Promise<void>): void => {
    test(title, { skip }, withStore(open, opts, body));
  };

  describe(`GraphStore contract: ${name}`, () => {
    it('putMessages is idempotent: a second write inserts nothing and reports every duplicate', async (store) => {
      const messages = await realMessages();
      const first = await store.putMessages(messages);
      assert.deepEqual(first, { inserted: messages.length, duplicates: 0, duplicateMsgids: [] });
      const second = await store.putMessages(messages);
      assert.equal(second.inserted, 0);
      assert.equal(second.duplicates, messages.length);
      assert.deepEqual(second.duplicateMsgids, messages.map((m) => m.msgid));
      assert.equal((await store.stats()).messages, messages.length);
    });

    it('a duplicate adds its provenance and keeps the first copy', async (store) => {
      const [m] = await realMessages();
      await store.putMessages([m]);
      const again: Message = {
        ...m,
        body: 'a different body that must not replace the first one',
        provenance: { source: '/archives/mirror-b.mbox', format: 'mbox', offset: 4096 },
      };
      // Twice in one batch as well: the same source/offset is recorded once.
      const res = await store.putMessages([again, again]);
      assert.deepEqual(res, { inserted: 0, duplicates: 2, duplicateMsgids: [m.msgid, m.msgid] });
      const stored = await store.message(m.msgid);
      assert.ok(stored);
      assert.equal(stored.body, m.body);
      assert.deepEqual(
        stored.sources,
        [
          { source: '/archives/mirror-b.mbox', format: 'mbox', offset: 4096 },
          { source: m.provenance.source, format: m.provenance.format, offset: m.provenance.offset },
        ].sort((a, b) => a.source.localeCompare(b.source) || a.offset - b.offset),
      );
    });

    it('message() returns exactly the message that was put, with its sources', async (store) => {
      const messages = await realMessages();
      await store.putMessages(messages);
      for (const m of messages) {
        const p = m.provenance;
        assert.deepEqual(
          await store.message(m.msgid),
          expectedStored(m, [{ source: p.source, format: p.format, offset: p.offset }]),
        );
      }
      assert.equal(await store.message('no-such-message@example.invalid'), null);
    });

    it('messageBody() is the stored body alone; null for an unknown message and for a ghost', async (store) => {
      const kvmarm = (await realMessages()).filter((m) => m.provenance.source === KVMARM_MBOX);
      const [root, ...replies] = kvmarm;
      await ingestInto(store, replies);
      for (const m of replies) assert.equal(await store.messageBody(m.msgid), (await store.message(m.msgid))?.body);
      assert.equal(await store.messageBody(root.msgid), null, 'the unseen patch is a ghost');
      assert.equal(await store.messageBody('no-such-message@example.invalid'), null);
    });

    it('message() keeps every optional field of the model', async (store) => {
      const [base] = await realMessages();
      const rich: Message = {
        ...base,
        msgid: `rich-${base.msgid}`,
        synthetic: true,
        from: { name: 'jhubbard', address: 'jhubbard@xxxxxxxxxx', obfuscated: true },
        tzOffset: -420,
        listId: 'kvmarm.lists.cs.columbia.edu',
        footers: ['_______________________________________________\nkvmarm mailing list'],
        attachments: [{ filename: 'fix.patch', contentType: 'text/x-patch', size: 12, text: '--- a\n+++ b\n', isPatch: true }],
        extraHeaders: { 'x-mailer': 'git-send-email 2.31.1', 'change-id': '20240830-btt' },
        inferredParent: { parent: base.msgid, method: 'attribution', confidence: 0.8, evidence: 'On Mon, Marc wrote:' },
        provenance: { source: '<kvmarm.git>', format: 'public-inbox', offset: 3, commit: 'a'.repeat(40), blob: 'b'.repeat(40) },
      };
      await store.putMessages([rich]);
      assert.deepEqual(
        await store.message(rich.msgid),
        expectedStored(rich, [{ source: '<kvmarm.git>', format: 'public-inbox', offset: 3 }]),
      );
      assert.equal((await store.stats()).syntheticMessages, 1);
    });

    it('allMessages and threadingRecords give back every message in insertion order', async (store) => {
      const messages = await realMessages();
      await store.putMessages(messages.slice(0, 10));
      await store.putMessages(messages.slice(10));
      const all = await collect(store.allMessages());
      assert.deepEqual(all.map((m) => m.msgid), messages.map((m) => m.msgid));
      assert.deepEqual(all[5], expectedStored(messages[5], [
        { source: messages[5].provenance.source, format: messages[5].provenance.format, offset: messages[5].provenance.offset },
      ]));
      assert.deepEqual(await collect(store.threadingRecords()), messages.map(threadingRecord).map(jsonClone));
    });

    it('threads with a ghost root: thread(any member) gives the whole tree, depth first', async (store) => {
      const kvmarm = (await realMessages()).filter((m) => m.provenance.source === KVMARM_MBOX);
      const [root, ...replies] = kvmarm;
      const assignments = await ingestInto(store, replies);
      assert.ok(assignments.some((a) => a.ghost && a.msgid === root.msgid), 'the unseen patch is a ghost');
      const stats = await store.stats();
      assert.equal(stats.messages, replies.length);
      assert.equal(stats.ghosts, assignments.filter((a) => a.ghost).length);
      assert.equal(stats.threads, new Set(assignments.map((a) => a.root)).size);

      const view = await store.thread(replies[replies.length - 1].msgid);
      assert.ok(view);
      assert.equal(view.root, root.msgid);
      assert.deepEqual(await store.thread(root.msgid), view, 'the ghost finds its thread too');
      assert.deepEqual(await store.thread(replies[0].msgid), view);
      assert.equal(view.messages.length, kvmarm.length);
      const ghost = view.messages[0];
      assert.deepEqual(
        { msgid: ghost.msgid, ghost: ghost.ghost, from: ghost.from, subject: ghost.subject, date: ghost.date, parent: ghost.parent, depth: ghost.depth },
        { msgid: root.msgid, ghost: true, from: '', subject: '', date: null, parent: null, depth: 0 },
      );
      assert.equal(view.subject, replies[0].subject.raw);
      const seen = new Set<string>();
      for (const m of view.messages) {
        if (m.parent !== null) assert.ok(seen.has(m.parent), `${m.msgid} comes after its parent`);
        seen.add(m.msgid);
      }
      const reply = view.messages.find((m) => m.msgid === replies[0].msgid);
      assert.deepEqual(reply, {
        msgid: replies[0].msgid,
        parent: root.msgid,
        from: replies[0].from.name,
        date: replies[0].date,
        subject: replies[0].subject.raw,
        inferred: 'in-reply-to',
        confidence: 1,
        evidence: null,
        ghost: false,
        depth: 1,
      });
      assert.equal(await store.thread('no-such-message@example.invalid'), null);
      assert.deepEqual(
        (await collect(store.allThreadAssignments())).map((a) => a.msgid).sort(),
        assignments.map((a) => a.msgid).sort(),
      );
    });

    it('replaceThreadForest replaces the forest: a ghost goes when its message arrives', async (store) => {
      const kvmarm = (await realMessages()).filter((m) => m.provenance.source === KVMARM_MBOX);
      await ingestInto(store, kvmarm.slice(1));
      assert.ok((await store.stats()).ghosts >= 1);
      const assignments = await ingestInto(store, kvmarm.slice(0, 1));
      const stats = await store.stats();
      assert.equal(stats.ghosts, 0);
      assert.equal(stats.threads, 1);
      const view = await store.thread(kvmarm[5].msgid);
      assert.ok(view);
      assert.equal(view.root, kvmarm[0].msgid);
      assert.equal(view.messages[0].ghost, false);
      assert.equal(view.messages[0].from, kvmarm[0].from.name);
      assert.deepEqual(
        await collect(store.allThreadAssignments()),
        [...assignments].sort((a, b) =>
          a.root < b.root ? -1 : a.root > b.root ? 1 : a.depth - b.depth || (a.msgid < b.msgid ? -1 : a.msgid > b.msgid ? 1 : 0),
        ),
      );
    });

    it('replaceThreadForest writes a streamed forest as it writes an array, and a failed stream changes nothing', async (store) => {
      const assignments = await ingestInto(store, await realMessages());
      const expected = { forest: await collect(store.allThreadAssignments()), threads: await store.threads(), stats: await store.stats() };
      const now = async (): Promise<typeof expected> => ({
        forest: await collect(store.allThreadAssignments()),
        threads: await store.threads(),
        stats: await store.stats(),
      });
      await store.replaceThreadForest([]);
      assert.equal((await store.stats()).threads, 0);
      await store.replaceThreadForest((async function* () {
        yield* assignments;
      })());
      assert.deepEqual(await now(), expected);
      await store.replaceThreadForest((function* () {
        yield* [...assignments].reverse();
      })());
      assert.deepEqual(await now(), expected);
      // The ingest path: the disk-backed threader's forest, streamed from its scratch database.
      const threader = new DiskThreader();
      try {
        for await (const r of store.threadingRecords()) threader.add(r);
        await store.replaceThreadForest(threader.finish().forest);
      } finally {
        threader.close();
      }
      assert.deepEqual(await now(), expected);
      const failing = async function* (): AsyncGenerator<ThreadAssignment> {
        yield assignments[0];
        throw new Error('the source failed');
      };
      await assert.rejects(store.replaceThreadForest(failing()), /the source failed/);
      assert.deepEqual(await now(), expected);
      await assert.rejects(
        store.replaceThreadForest((function* () {
          yield assignments[0];
          throw new Error('the sync source failed');
        })()),
        /the sync source failed/,
      );
      assert.deepEqual(await now(), expected);
    });

    it('threads() lists threads newest activity first, with counts and date range, and pages', async (store) => {
      const messages = await realMessages();
      await ingestInto(store, messages);
      const list = await store.threads();
      assert.equal(list.length, 3);
      for (const t of list) {
        const members = messages.filter((m) => m.provenance.source === messages.find((x) => x.msgid === t.root)?.provenance.source);
        const dates = members.map((m) => m.date as string).sort();
        assert.deepEqual(t, {
          root: t.root,
          subject: members[0].subject.raw,
          messages: members.length,
          first: dates[0],
          last: dates[dates.length - 1],
        });
      }
      assert.deepEqual(list.map((t) => t.last), list.map((t) => t.last).sort().reverse());
      assert.deepEqual(list[0].root, '20240830204255.4130362-1-kbusch@meta.com');
      assert.deepEqual(await store.threads({ limit: 1, offset: 1 }), [list[1]]);
      assert.deepEqual(await store.threads({ limit: 2 }), list.slice(0, 2));
    });

    it('search finds a word of a body, marks it in the snippet, and filters by author and date', async (store) => {
      const messages = await realMessages();
      await store.putMessages(messages);
      const picks = distinctiveWords(messages);
      assert.ok(picks.length >= 3);
      for (const { message, word } of picks.slice(0, 3)) {
        const hits = await store.search({ text: word });
        assert.deepEqual(hits.map((h) => h.msgid), [message.msgid], `search for '${word}'`);
        const [hit] = hits;
        assert.equal(hit.subject, message.subject.raw);
        assert.equal(hit.from, message.from.name);
        assert.equal(hit.date, message.date);
        assert.match(hit.snippet, new RegExp(`${SNIPPET_OPEN}${word}${SNIPPET_CLOSE}`, 'i'));
        assert.ok(hit.score > 0);
      }
      const { message, word } = picks[0];
      const surname = (message.from.name ?? '').split(/\s+/).pop() ?? '';
      assert.equal((await store.search({ text: word, author: surname.toUpperCase() })).length, 1);
      assert.equal((await store.search({ text: word, author: message.from.address ?? '' })).length, 1);
      assert.deepEqual(await store.search({ text: word, author: 'Thomas Gleixner' }), []);
      assert.equal((await store.search({ text: word, since: message.date ?? '' })).length, 1);
      assert.deepEqual(await store.search({ text: word, until: message.date ?? '' }), []);

      // A common word: every hit has it, author filter keeps only that author, paging is stable.
      const all = await store.search({ text: 'disabled', limit: 100 });
      assert.ok(all.length >= 10);
      const maz = await store.search({ text: 'disabled', author: 'maz@kernel.org', limit: 100 });
      assert.ok(maz.length > 0 && maz.length < all.length);
      assert.ok(maz.every((h) => h.from === 'Marc Zyngier'));
      assert.deepEqual(
        new Set(maz.map((h) => h.msgid)),
        new Set(all.filter((h) => messages.find((m) => m.msgid === h.msgid)?.from.address === 'maz@kernel.org').map((h) => h.msgid)),
      );
      assert.equal((await store.search({ text: 'disabled' })).length, Math.min(20, all.length));
      assert.deepEqual((await store.search({ text: 'disabled', limit: 3, offset: 2 })).map((h) => h.msgid), all.slice(2, 5).map((h) => h.msgid));
    });

    it('search reads kernel identifiers and query syntax as plain words', async (store) => {
      const messages = await realMessages();
      await store.putMessages(messages);
      const withIdent = messages.filter((m) => /\bkvm_pmu_disable_counter_mask\b/.test(m.body));
      assert.ok(withIdent.length > 0);
      const hits = await store.search({ text: 'kvm_pmu_disable_counter_mask()', limit: 100 });
      assert.deepEqual(new Set(hits.map((h) => h.msgid)), new Set(withIdent.map((m) => m.msgid)));
      for (const text of ['AND', 'title:(x OR', '"unbalanced', '+-!^~*?:\\/[]{}', 'NOT (a', '***']) {
        assert.ok(Array.isArray(await store.search({ text })), `query ${JSON.stringify(text)} must not throw`);
      }
      assert.deepEqual(await store.search({ text: '   ' }), []);
      const phrase = await store.search({ text: '"Disabling disabled PMU counters"', limit: 100 });
      assert.ok(phrase.length > 0);
      const prefix = await store.search({ text: 'allyes*', limit: 100 });
      assert.ok(prefix.some((h) => h.from === 'kbuild test robot'));
    });

    it('skips are recorded once each and listed in source order', async (store) => {
      const skips: Skip[] = [
        { source: '/archives/b.mbox', offset: 10, reason: 'no headers' },
        { source: '/archives/a.mbox', offset: 900, reason: 'truncated message' },
        { source: '/archives/a.mbox', offset: 20, reason: 'binary garbage' },
      ];
      await store.putSkips(skips);
      await store.putSkips(skips);
      assert.deepEqual(await store.skips(), [skips[2], skips[1], skips[0]]);
      assert.equal((await store.stats()).skipped, 3);
    });

    it('archives are upserted by source and listed in order', async (store) => {
      const messages = await realMessages();
      await store.putMessages(messages);
      const a: ArchiveRecord = {
        source: KVMARM_MBOX,
        format: 'mbox',
        bytes: 123_456,
        messages: 12,
        duplicates: 0,
        skipped: 0,
        truncated: false,
        ingestedAt: '2026-11-21T10:00:00.000Z',
      };
      const b: ArchiveRecord = { ...a, source: '/archives/0.git', format: 'public-inbox', truncated: true, messages: 3 };
      await store.putArchive(a);
      await store.putArchive(b);
      await store.putArchive({ ...a, duplicates: 12, ingestedAt: '2026-11-21T11:00:00.000Z' });
      assert.deepEqual(await store.archives(), [b, { ...a, duplicates: 12, ingestedAt: '2026-11-21T11:00:00.000Z' }]);
      assert.equal((await store.stats()).archives, 2);
    });

    it('stats count archives, messages, ghosts, threads and skips', async (store) => {
      const messages = await realMessages();
      assert.deepEqual(await store.stats(), { archives: 0, messages: 0, syntheticMessages: 0, ghosts: 0, threads: 0, skipped: 0 });
      const kvmarmRoot = messages.find((m) => m.provenance.source === KVMARM_MBOX && m.inReplyTo === null);
      const assignments = await ingestInto(store, messages.filter((m) => m !== kvmarmRoot));
      await store.putSkips([{ source: KVMARM_MBOX, offset: 0, reason: 'test' }]);
      assert.deepEqual(await store.stats(), {
        archives: 0,
        messages: messages.length - 1,
        syntheticMessages: 0,
        ghosts: assignments.filter((a) => a.ghost).length,
        threads: 3,
        skipped: 1,
      });
    });
  });
  definePatchGraphContract(name, open, opts);
  defineClaimContract(name, open, opts);
}
