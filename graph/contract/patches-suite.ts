// The patch-graph part of the store contract (graph/patches.ts), run against each backend by
// suite.ts. Real mail goes in through the real pipeline (ingest → rethread → derive), and what the
// store answers is compared with what upstream tools' fixtures say: b4's golden files for
// follow-up trailers, Patchwork's series tests for grouping (peers MANIFEST.md).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { PEERS_DIR, SAMPLES_DIR } from '../../test/fixtures.js';
import { ingest } from '../../ingest/pipeline.js';
import { readMboxMessages } from '../../ingest/series/testMbox.js';
import { patchTrailers, trailerText } from '../../ingest/series/index.js';
import type { Message } from '../../ingest/model.js';
import type { GraphStore } from '../store.js';
import type { CommentRecord, SeriesGraphPart, SeriesRecord, SeriesView } from '../patches.js';
import { compareKeys } from '../order.js';
import { collect, LAKML_MBOX } from './testData.js';

export interface PatchContractOptions {
  reset?(): Promise<void>;
  skip?: string | false;
}

type Open = () => Promise<GraphStore>;

const B4 = resolve(PEERS_DIR, 'b4');
const PW = resolve(PEERS_DIR, 'patchwork/series');

async function load(store: GraphStore, path: string): Promise<void> {
  const summary = await ingest([path], store, { workers: 0 });
  assert.equal(summary.unreadable.length, 0);
  assert.ok(summary.derived, 'the derive stage ran');
}

/** Trailers b4 would add to a patch: the golden's trailer block minus the input's (MANIFEST §1). */
function goldenAdditions(golden: Message, input: Message, unordered: boolean): string[] {
  const minus = (a: string[], b: string[]): string[] => {
    const left = [...a];
    for (const x of b) {
      const i = left.indexOf(x);
      if (i >= 0) left.splice(i, 1);
    }
    return left;
  };
  // `addmysob` goldens end with the test user's own sign-off; `copyccs` ones add the recipients.
  let added = minus(patchTrailers(golden).map(trailerText), patchTrailers(input).map(trailerText)).filter(
    (t) => t !== 'Signed-off-by: Test Override <test-override@example.com>',
  );
  if (unordered) added = minus(added, [...input.to, ...input.cc].map((a) => `Cc: ${a.name ? `${a.name} <${a.address}>` : a.address}`));
  return added;
}

function applied(series: SeriesView[], patch: string): string[] {
  return series
    .flatMap((s) => s.trailers)
    .filter((t) => t.patch === patch && t.via !== 'own' && (t.status === 'applied' || t.status === 'unverified'))
    .map((t) => t.text);
}

const B4_SCENARIOS = [
  'trailers-followup-bare-address',
  'trailers-followup-custody',
  'trailers-followup-htmljunk',
  'trailers-followup-name-parens',
  'trailers-followup-non-git-patch',
  'trailers-followup-non-git-patch-with-comments',
  'trailers-followup-nore',
  'trailers-followup-partial-reroll',
  'trailers-followup-single',
  'trailers-followup-stripped-lines',
  'trailers-followup-with-cover',
  'trailers-followup-with-diffstat',
];

/**
 * Patchwork's test_series.py expectations (MANIFEST.md §2): patches per posting in date order (a
 * Patchwork "series" is one posting, our Revision) and whether each posting has its cover letter.
 */
const PATCHWORK: [string, number[], number[]][] = [
  ['base-cover-letter', [2], [1]],
  ['base-deep-threaded', [2], [1]],
  ['base-different-versions', [4], [1]],
  ['base-extra-patches', [3], [1]],
  ['base-incomplete', [1], [1]],
  ['base-no-cover-letter', [2], [0]],
  ['base-no-references-no-cover', [2], [1]],
  ['base-no-references', [2], [0]],
  ['base-out-of-order', [2], [1]],
  ['base-single-patch', [1], [0]],
  ['bugs-mixed-versions', [1, 1], [0, 0]],
  ['bugs-multiple-references', [4], [1]],
  ['bugs-nocover-noversion', [2, 2], [0, 0]],
  ['bugs-nocover', [2, 2], [0, 0]],
  ['bugs-spamming', [1, 1, 1], [0, 0, 0]],
  ['mercurial-cover-letter', [2], [1]],
  ['mercurial-no-cover-letter', [2], [0]],
  ['revision-basic', [2, 2], [1, 1]],
  ['revision-no-cover-letter', [2, 2], [1, 0]],
  ['revision-out-of-order', [2, 2], [1, 1]],
  ['revision-threaded-to-cover', [2, 2], [1, 1]],
];

/** Postings in date order: [own patch mails, own cover mails] each. */
function postings(series: SeriesView[]): { patches: number[]; covers: number[] } {
  const revs = series.flatMap((s) => s.revisions).sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.key.localeCompare(b.key));
  return {
    patches: revs.map((r) => r.patches.filter((p) => p.rule !== 'carried' && p.msgid).length),
    covers: revs.map((r) => (r.cover && r.cover.rule !== 'carried' && r.cover.msgid ? 1 : 0)),
  };
}

export function definePatchGraphContract(name: string, open: Open, opts: PatchContractOptions = {}): void {
  const skip = opts.skip || undefined;
  const it = (title: string, body: (store: GraphStore) => Promise<void>): void => {
    test(title, { skip }, async () => {
      if (opts.reset) await opts.reset();
      const store = await open();
      try {
        await body(store);
      } finally {
        await store.close();
      }
    });
  };

  describe(`PatchGraphStore contract: ${name}`, () => {
    for (const scenario of B4_SCENARIOS) {
      it(`b4 ${scenario}: the trailers attributed per patch are what b4's golden file adds`, async (store) => {
        await load(store, resolve(B4, `${scenario}.mbox`));
        const unordered = scenario === 'trailers-followup-custody';
        const input = new Map((await readMboxMessages(resolve(B4, `${scenario}.mbox`))).map((m) => [m.msgid, m]));
        const golden = await readMboxMessages(resolve(B4, `${scenario}${unordered ? '-ref-unordered' : '-ref-defaults'}.txt`));
        const series = await store.patches.series();
        assert.ok(golden.length > 0);
        for (const g of golden) {
          const orig = input.get(g.msgid);
          assert.ok(orig, `<${g.msgid}> is in the input`);
          const added = goldenAdditions(g, orig, unordered);
          assert.ok(added.length > 0, 'the golden adds something');
          assert.deepEqual(applied(series, g.msgid).sort(), added.sort(), `<${g.msgid}>`);
        }
      });
    }

    it('b4 single: a trailer naming someone else than its sender is kept, flagged mismatched, not applied', async (store) => {
      await load(store, resolve(B4, 'trailers-followup-single.mbox'));
      const [s] = await store.patches.series();
      const mismatched = s.trailers.filter((t) => t.status === 'mismatched');
      assert.deepEqual(
        mismatched.map((t) => [t.text, t.givenIn, t.via]),
        [['Reviewed-by: Mismatched Reviewer1 <mismatched-reviewer1@example.net>', 'fwup-message-3@example.com', 'patch']],
      );
      assert.match(mismatched[0].evidence, /differs from the sender/);
    });

    it('b4 with-cover: a cover-letter trailer reaches every patch; both names of reviewer1 are one person', async (store) => {
      await load(store, resolve(B4, 'trailers-followup-with-cover.mbox'));
      const [s] = await store.patches.series();
      const viaCover = s.trailers.filter((t) => t.via === 'cover');
      assert.deepEqual(viaCover.map((t) => t.patch).sort(), ['patch-1-message@example.com', 'patch-2-message@example.com']);
      const id = 'person:followup-reviewer1@example.com';
      assert.ok(s.trailers.filter((t) => t.via !== 'own').every((t) => t.personId === id));
      const person = await store.patches.person('followup-reviewer1@example.com');
      assert.equal(person?.id, id);
      assert.deepEqual([...(person?.names ?? [])].sort(), ['Coverletter Reviewer1', 'Followup Reviewer1']);
      assert.ok(person?.reasons.some((r) => r.rule === 'same-address'));
      assert.ok((await store.patches.people()).some((p) => p.id === id));
    });

    for (const [fixture, patches, covers] of PATCHWORK) {
      it(`Patchwork ${fixture}: postings hold [${patches}] patches, covers [${covers}]`, async (store) => {
        await load(store, resolve(PW, `${fixture}.mbox`));
        assert.deepEqual(postings(await store.patches.series()), { patches, covers });
      });
    }

    it('Patchwork revision-basic: v1 and v2 are one series with NEXT_VERSION and lineage per patch, each with its rule', async (store) => {
      await load(store, resolve(PW, 'revision-basic.mbox'));
      const all = await store.patches.series();
      assert.equal(all.length, 1);
      const [s] = all;
      assert.deepEqual(s.revisions.map((r) => r.version), [1, 2]);
      assert.equal(s.next.length, 1);
      assert.deepEqual([s.next[0].from, s.next[0].to], [s.revisions[0].key, s.revisions[1].key]);
      assert.ok(s.next[0].rule.length > 0 && s.next[0].evidence.length > 0);
      assert.equal(s.lineage.length, 2);
      for (const l of s.lineage) {
        assert.equal(l.fromRevision, s.revisions[0].key);
        assert.equal(l.toRevision, s.revisions[1].key);
        assert.ok(['title', 'title-similar', 'diff'].includes(l.rule));
      }
      assert.deepEqual(await store.patches.seriesDetail(s.key), s);
      assert.equal(await store.patches.seriesDetail('series:no-such'), null);
      assert.deepEqual(await store.patches.series('no series is called this'), []);
      assert.deepEqual((await store.patches.series(s.title.toUpperCase())).map((x) => x.key), [s.key]);
    });

    it('seriesIndex(query) lists the series of series(query), in its order, without lineage and trailers', async (store) => {
      await load(store, SAMPLES_DIR);
      const strip = ({ lineage: _lineage, trailers: _trailers, ...rest }: SeriesView): SeriesRecord => rest;
      for (const q of [undefined, 'sub-section', 'PFN_VALID', 'no series is called this']) {
        const full = await store.patches.series(q);
        assert.deepEqual(await store.patches.seriesIndex(q), full.map(strip), String(q));
      }
      assert.ok((await store.patches.seriesIndex()).length >= 5);
    });

    it('eachSeries() gives what seriesIndex() lists, in its order, whatever the page size', async (store) => {
      await load(store, SAMPLES_DIR);
      const listed = await store.patches.seriesIndex();
      assert.ok(listed.length >= 5);
      // Page sizes that divide the list, leave a remainder, and exceed it.
      for (const size of [1, 2, 3, listed.length, listed.length + 1]) {
        const streamed: SeriesRecord[] = [];
        for await (const s of store.patches.eachSeries(size)) streamed.push(s);
        assert.deepEqual(streamed, listed, `page size ${size}`);
      }
    });

    it('trailersOf(person) is what series() attributes to that person, grouped by series in its order', async (store) => {
      await load(store, resolve(B4, 'trailers-followup-with-cover.mbox'));
      await load(store, SAMPLES_DIR);
      const all = await store.patches.series();
      const people = new Set(all.flatMap((s) => s.trailers.map((t) => t.personId)).filter((p): p is string => p !== null));
      assert.ok(people.size >= 3);
      for (const id of people) {
        const expected = all
          .map((s) => ({ seriesKey: s.key, seriesTitle: s.title, trailers: s.trailers.filter((t) => t.personId === id) }))
          .filter((g) => g.trailers.length > 0);
        assert.deepEqual(await store.patches.trailersOf(id), expected, id);
      }
      assert.deepEqual(await store.patches.trailersOf('person:nobody'), []);
    });

    it('authoredBy is authors() narrowed to one sender: by address, else (no address) by name, any case', async (store) => {
      await load(store, SAMPLES_DIR);
      await load(store, LAKML_MBOX);
      const all = await collect(store.patches.authors());
      const address = all.find((a) => a.address !== null)?.address;
      assert.ok(address);
      assert.deepEqual(await collect(store.patches.authoredBy({ addresses: [address.toUpperCase()], names: ['ignored when there is an address'] })), all.filter((a) => a.address === address));
      const name = all.find((a) => a.address === null && a.name !== null)?.name;
      assert.ok(name, 'the header-less seeds give senders without an address');
      const byName = await collect(store.patches.authoredBy({ addresses: [], names: [name.toUpperCase()] }));
      assert.deepEqual(byName, all.filter((a) => a.name?.toLowerCase() === name.toLowerCase()));
      assert.ok(byName.length >= 1);
      assert.deepEqual(await collect(store.patches.authoredBy({ addresses: ['nobody@example.invalid'], names: [] })), []);
    });

    it("lakml thread: Marc's review comments are anchored to the lines of the patch's hunk in its_set_affinity", async (store) => {
      await load(store, LAKML_MBOX);
      const hunks = await store.patches.hunks({ function: 'its_set_affinity' });
      const patch = hunks.filter((h) => h.kind === 'patch');
      assert.equal(patch.length, 1);
      const [h] = patch;
      assert.equal(h.file, 'drivers/irqchip/irq-gic-v3-its.c');
      assert.equal(h.series?.version, 1);
      const marc = h.comments.find((c) => c.msgid === '20200530174929.7bf6d5d7@why');
      assert.ok(marc, 'the review is anchored');
      assert.equal(marc.rule, 'patch');
      assert.match(marc.lineText, /its_send_movi\(its_dev, target_col, id\);/);
      assert.match(marc.comment, /^This looks wrong\./);
      assert.ok(marc.newLine !== null && marc.newLine > 0);
      // The replies' own copies of the quoted hunk are shown under the patch hunk, not again.
      assert.ok(hunks.every((x) => x.kind === 'patch' || !x.comments.some((c) => c.msgid === marc.msgid)));
      assert.ok(h.replies.some((r) => r.msgid === marc.msgid));
      const byFile = await store.patches.hunks({ file: 'drivers/irqchip/irq-gic-v3-its.c' });
      assert.ok(byFile.some((x) => x.msgid === h.msgid && x.index === h.index));
      const byDir = await store.patches.hunks({ file: 'drivers/irqchip/' });
      assert.deepEqual(byDir.map((x) => [x.msgid, x.kind, x.index]), byFile.map((x) => [x.msgid, x.kind, x.index]));
      assert.deepEqual(await store.patches.hunks({ file: 'drivers/irq' }), []);
    });

    it('messageSegments: a patch has its hunks and trailer block; a reply its quotes, each with the message quoted', async (store) => {
      await load(store, LAKML_MBOX);
      const [patchHunk] = (await store.patches.hunks({ function: 'its_set_affinity' })).filter((h) => h.kind === 'patch');
      const patch = await store.patches.messageSegments(patchHunk.msgid);
      assert.ok(patch);
      assert.ok(patch.segments.some((s) => s.kind === 'diff'));
      assert.ok(patch.hunks.filter((h) => h.kind === 'patch').length >= 1);
      assert.ok(patch.trailers.some((t) => t.role === 'patch' && t.name === 'Signed-off-by'));
      const reply = await store.patches.messageSegments('20200530174929.7bf6d5d7@why');
      assert.ok(reply);
      // Marc answers Ali, who answered Marc's review of Ali's patch: depth 1 is Ali's reply (named
      // by the attribution line), depth 2 Marc's review, depth 3 the patch.
      const ali = '2C4F431F-8140-4C82-B4BD-E51DE618FC08@amazon.com';
      const first = reply.segments.find((s) => s.kind === 'quote' || s.kind === 'quoted-diff');
      assert.equal(first?.quotes, ali);
      assert.ok(reply.quotes.some((q) => q.depth === 1 && q.quoted === ali && q.rule === 'attribution'));
      assert.ok(reply.quotes.some((q) => q.depth === 2 && q.quoted === '8c3be990888ecfb7cca9503853dc4aac@kernel.org'));
      assert.ok(reply.quotes.some((q) => q.depth === 3 && q.quoted === patchHunk.msgid));
      assert.ok(reply.quotes.every((q) => q.evidence.length > 0));
      assert.ok(reply.comments.some((c) => c.rule === 'patch' && c.hunkMsgid === patchHunk.msgid));
      assert.equal(await store.patches.messageSegments('no-such@example.invalid'), null);
    });

    it('derivationBatches, commentBatches and seriesGraph give back what was written, and writing it again changes nothing', async (store) => {
      // A reviewed patch (anchored comments), a v1 -> v2 series (lineage) and a cover-letter trailer (persons).
      const summary = await ingest([LAKML_MBOX, resolve(PW, 'revision-basic.mbox'), resolve(B4, 'trailers-followup-with-cover.mbox')], store, { workers: 0 });
      assert.equal(summary.unreadable.length, 0);
      const stats = await store.patches.patchStats();
      const batches = await collect(store.patches.derivationBatches(3));
      assert.ok(batches.every((b) => b.length > 0 && b.length <= 3));
      const derivations = batches.flat();
      assert.equal(derivations.length, stats.derivedMessages);
      const ids = derivations.map((d) => d.msgid);
      assert.deepEqual(ids, [...ids].sort(compareKeys), 'in Message-ID order');
      assert.equal(new Set(ids).size, ids.length);
      for (const d of derivations) assert.deepEqual(d, await store.patches.messageSegments(d.msgid), d.msgid);

      const commentBatches = await collect(store.patches.commentBatches(2));
      assert.ok(commentBatches.every((b) => b.length > 0 && b.length <= 2));
      const key = (c: CommentRecord): string => JSON.stringify(c);
      assert.deepEqual(commentBatches.flat().map(key).sort(), derivations.flatMap((d) => d.comments).map(key).sort());
      assert.equal(commentBatches.flat().length, stats.comments);
      assert.ok(stats.comments > 0);

      const graph = await store.patches.seriesGraph();
      const views = await store.patches.series();
      const byKey = [...views].sort((a, b) => compareKeys(a.key, b.key));
      assert.deepEqual(graph.series, byKey.map(({ lineage: _l, trailers: _t, ...s }) => s));
      const json = (items: unknown[]): string[] => items.map((x) => JSON.stringify(x)).sort();
      assert.deepEqual(json(graph.lineage), json(views.flatMap((s) => s.lineage)));
      assert.deepEqual(json(graph.trailers), json(views.flatMap((s) => s.trailers)));
      assert.ok(graph.lineage.length > 0 && graph.trailers.some((t) => t.via === 'cover'));
      assert.deepEqual(graph.persons, await store.patches.people());
      assert.ok(graph.replies.length > 0);
      const members = new Map(graph.series.flatMap((s) => s.revisions.flatMap((r) => [...(r.cover ? [r.cover] : []), ...r.patches])).map((m) => [m.key, m.msgid]));
      for (const r of graph.replies) {
        assert.ok(await store.message(r.msgid), `the reply ${r.msgid} is stored`);
        assert.equal(r.targetMsgid, members.get(r.target) ?? null, `the mail of ${r.target}`);
      }

      const before = {
        stats,
        series: views,
        hunks: await store.patches.hunks({ file: 'drivers/irqchip/' }),
        segments: derivations,
        people: await store.patches.people(),
      };
      const reads = async (): Promise<typeof before> => ({
        stats: await store.patches.patchStats(),
        series: await store.patches.series(),
        hunks: await store.patches.hunks({ file: 'drivers/irqchip/' }),
        segments: (await collect(store.patches.derivationBatches(100))).flat(),
        people: await store.patches.people(),
      });
      for (const b of batches) await store.patches.putMessageDerivations(b.map((d) => ({ ...d, comments: [] })));
      for (const b of commentBatches) await store.patches.putComments(b);
      await store.patches.replaceSeriesGraph([graph]);
      assert.deepEqual(await reads(), before);
      assert.deepEqual(await store.patches.seriesGraph(), graph);

      // The same graph in the parts the derive stage writes: persons; each series with its lineage
      // and trailers; reply links two at a time.
      const seriesOf = new Map(graph.series.flatMap((s) => s.revisions.map((r) => [r.key, s.key] as const)));
      const parts: SeriesGraphPart[] = [
        { persons: graph.persons },
        ...graph.series.map((s) => ({
          series: [s],
          lineage: graph.lineage.filter((l) => seriesOf.get(l.toRevision) === s.key),
          trailers: graph.trailers.filter((t) => seriesOf.get(t.revision) === s.key),
        })),
        ...Array.from({ length: Math.ceil(graph.replies.length / 2) }, (_, i) => ({ replies: graph.replies.slice(2 * i, 2 * i + 2) })),
      ];
      assert.ok(graph.series.length > 1 && parts.length > graph.series.length + 2);
      assert.equal(parts.reduce((n, p) => n + (p.trailers?.length ?? 0), 0), graph.trailers.length, 'every trailer is in a part');
      await store.patches.replaceSeriesGraph(parts);
      assert.deepEqual(await reads(), before);
      assert.deepEqual(await store.patches.seriesGraph(), graph);

      // The same rewrite as the derive stage makes it, in bulk between start and finish.
      await store.patches.startDerivations();
      for (const b of batches) await store.patches.putMessageDerivations(b.map((d) => ({ ...d, comments: [] })));
      for (const b of commentBatches) await store.patches.putComments(b);
      await store.patches.finishDerivations();
      assert.deepEqual(await reads(), before);
    });

    it('deriving again changes nothing: a second ingest of the same mbox leaves the patch graph as it was', async (store) => {
      await load(store, LAKML_MBOX);
      const before = {
        stats: await store.patches.patchStats(),
        series: await store.patches.series(),
        hunks: await store.patches.hunks({ file: 'drivers/irqchip/' }),
        reply: await store.patches.messageSegments('20200530174929.7bf6d5d7@why'),
        people: await store.patches.people(),
      };
      assert.ok(before.stats.comments > 0 && before.stats.hunks > 0 && before.stats.series === 1);
      await load(store, LAKML_MBOX);
      assert.deepEqual(
        {
          stats: await store.patches.patchStats(),
          series: await store.patches.series(),
          hunks: await store.patches.hunks({ file: 'drivers/irqchip/' }),
          reply: await store.patches.messageSegments('20200530174929.7bf6d5d7@why'),
          people: await store.patches.people(),
        },
        before,
      );
    });
  });
}
