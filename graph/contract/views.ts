// What a store answers, view by view: every query the CLI commands and web pages make (threads,
// messages, series and their summaries, hunks, segments, people, claims, symbols, runs), for
// checking that a copied store (loregraph export) answers exactly like its source.
import assert from 'node:assert/strict';
import type { GraphStore } from '../store.js';
import { findSeries, seriesB4, seriesSummary, summaryMarkdown } from '../../analysis/seriesSummary.js';
import { collect } from './testData.js';

export type StoreViews = Map<string, unknown>;

/** Every view of `store`, keyed by the query that gave it. Search is left out (each engine scores its own way). */
export async function storeViews(store: GraphStore): Promise<StoreViews> {
  const views: StoreViews = new Map();
  const put = (key: string, value: unknown): void => {
    views.set(key, value);
  };
  put('stats', await store.stats());
  put('threads', await store.threads());
  put('archives', await store.archives());
  put('skips', await store.skips());
  put('forest', await collect(store.allThreadAssignments()));
  const messages = await collect(store.allMessages());
  put('messages', messages);
  for (const t of await store.threads()) put(`thread ${t.root}`, await store.thread(t.root));

  put('patchStats', await store.patches.patchStats());
  const series = await store.patches.series();
  put('series', series);
  for (const s of series) {
    put(`seriesDetail ${s.key}`, await store.patches.seriesDetail(s.key));
    put(`summary ${s.key}`, summaryMarkdown(await seriesSummary(store, await findSeries(store, s.key))));
    put(`b4 ${s.key}`, await seriesB4(store, s));
  }
  const people = await store.patches.people();
  put('people', people);
  for (const p of people) put(`person ${p.id}`, await store.patches.person(p.id));
  const functions = new Set<string>();
  const files = new Set<string>();
  for (const m of messages) {
    const d = await store.patches.messageSegments(m.msgid);
    put(`segments ${m.msgid}`, d);
    for (const h of d?.hunks ?? []) {
      if (h.functionName) functions.add(h.functionName);
      if (h.file) files.add(h.file);
    }
  }
  for (const f of [...functions].sort()) put(`hunks function ${f}`, await store.patches.hunks({ function: f }));
  for (const f of [...files].sort()) put(`hunks file ${f}`, await store.patches.hunks({ file: f }));

  put('claimStats', await store.claims.claimStats());
  const claims = await store.claims.claims();
  put('claims', claims);
  for (const c of claims) if (c.checks.length > 0) put(`checkRuns ${c.id}`, await store.claims.checkRuns(c.id));
  const symbols = await store.claims.symbols();
  put('symbols', symbols);
  for (const s of symbols) put(`symbol ${s.name}`, await store.claims.symbol(s.name));
  return views;
}

/** Asserts that `target` answers every view of `source` alike, naming the first view that differs. */
export function assertSameViews(target: StoreViews, source: StoreViews): void {
  assert.deepEqual([...target.keys()], [...source.keys()], 'the same views exist');
  for (const [key, value] of source) assert.deepEqual(target.get(key), value, `view ${key}`);
}
