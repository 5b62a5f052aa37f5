import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PEERS_DIR, SEED } from '../../test/fixtures.js';
import { readMboxMessages } from '../series/testMbox.js';
import { parseMailArchiveDump } from '../sources/mailArchive.js';
import { attributeTrailers } from '../series/index.js';
import { resolveIdentities } from '../identity/index.js';
import type { Message } from '../model.js';
import type { SeriesGraphPart } from '../../graph/patches.js';
import { digestMessage } from './digest.js';
import { seriesStep, wholeSeriesGraph } from './series.js';

function stepOver(messages: readonly Message[]): ReturnType<typeof seriesStep> {
  const seen = new Set<string>();
  const digests = messages.filter((m) => !seen.has(m.msgid) && seen.add(m.msgid)).map((m) => digestMessage(m));
  return seriesStep(digests, resolveIdentities(digests.map((d) => d.from)));
}

/** The parts keep the order the store contract asks for (graph/patches.ts SeriesGraphPart). */
function assertPartsInOrder(parts: SeriesGraphPart[], label: string): void {
  assert.ok(parts[0].persons, `${label}: the persons come first`);
  assert.ok(parts.slice(1).every((p) => !p.persons), `${label}: and only there`);
  const firstReplies = parts.findIndex((p) => p.replies);
  const lastSeries = parts.findLastIndex((p) => p.series);
  if (firstReplies >= 0) assert.ok(firstReplies > lastSeries, `${label}: reply links after every series`);
  for (const p of parts) {
    const revisions = new Set((p.series ?? []).flatMap((s) => s.revisions.map((r) => r.key)));
    for (const l of p.lineage ?? []) assert.ok(revisions.has(l.toRevision), `${label}: lineage ${l.from} → ${l.to} comes with its series`);
    for (const t of p.trailers ?? []) assert.ok(revisions.has(t.revision), `${label}: trailer "${t.text}" on ${t.patch} comes with its series`);
  }
}

/** Written a series a part or in the default parts, the graph is the same; attributions series by series are attributeTrailers' own. */
function assertPartsWhole(messages: readonly Message[], label: string): number {
  const step = stepOver(messages);
  const one = [...step.parts({ seriesPerPart: 1 })];
  assertPartsInOrder(one, label);
  const whole = wholeSeriesGraph(step.parts());
  assert.deepEqual(wholeSeriesGraph(one), whole, label);

  const key = (patch: string, revision: string, text: string, givenIn: string, status: string, evidence: string): string =>
    JSON.stringify([patch, revision, text, givenIn, status, evidence]);
  const fromParts = whole.trailers.filter((t) => t.via !== 'own').map((t) => key(t.patch, t.revision, t.text, t.givenIn, t.status, t.evidence));
  const all = attributeTrailers(step.grouping, stepDigests(messages)).map((a) =>
    key(a.patch, step.revisionKey.get(a.revision) ?? a.revision, a.text, a.givenIn, a.status, a.evidence),
  );
  assert.deepEqual([...fromParts].sort(), [...all].sort(), `${label}: each follow-up trailer once`);
  return whole.series.length;
}

function stepDigests(messages: readonly Message[]): Message[] {
  return messages.map((m) => digestMessage(m));
}

describe('the series graph in parts', () => {
  for (const dir of ['b4', 'patchwork/series', 'lfdr-list-archives']) {
    const files = readdirSync(resolve(PEERS_DIR, dir)).filter((f) => f.endsWith('.mbox')).sort();
    test(`every ${dir} mbox (${files.length}): a series a part gives the whole graph, in the contract's order`, async () => {
      let series = 0;
      for (const f of files) series += assertPartsWhole(await readMboxMessages(resolve(PEERS_DIR, dir, f)), `${dir}/${f}`);
      assert.ok(series > 0);
    });
  }

  test("seed 002: Dan Williams' postings, 26 series, a part each", () => {
    const { messages } = parseMailArchiveDump(readFileSync(SEED.danAuthorArchive, 'utf8'), SEED.danAuthorArchive);
    assert.equal(assertPartsWhole(messages, 'seed 002'), 26);
  });

  test("b4's partial re-roll: a trailer given on the v2 cover letter reaches the v3 patch that carried it", async () => {
    const messages = await readMboxMessages(resolve(PEERS_DIR, 'b4/trailers-followup-partial-reroll.mbox'));
    assertPartsWhole(messages, 'partial re-roll');
    const whole = wholeSeriesGraph(stepOver(messages).parts({ seriesPerPart: 1 }));
    assert.ok(whole.trailers.some((t) => t.via === 'cover' && /carried to the v3 partial re-roll/.test(t.evidence)), 'carried cover trailer');
  });
});
