import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PEERS_DIR, SEED } from '../../test/fixtures.js';
import { readMboxMessages } from './testMbox.js';
import { analyzeSeries } from './analyze.js';
import { seriesGraph, type GraphEdge } from './graph.js';
import { observationsOf, resolveIdentities } from '../identity/resolve.js';
import { parseMailArchiveDump } from '../sources/mailArchive.js';

function count(edges: GraphEdge[], type: GraphEdge['type']): number {
  return edges.filter((e) => e.type === type).length;
}

describe('series analysis as graph nodes and edges', () => {
  test('b4 partial re-roll: one series, two revisions sharing the carried 1/2, trailers from people', async () => {
    const input = await readMboxMessages(resolve(PEERS_DIR, 'b4/trailers-followup-partial-reroll.mbox'));
    const identities = resolveIdentities(observationsOf(input, { trailers: true }));
    const { nodes, edges } = seriesGraph(analyzeSeries(input, { identities }), identities);
    const labels = (l: string) => nodes.filter((n) => n.label === l).map((n) => n.key).sort();
    assert.equal(labels('Series').length, 1);
    assert.equal(labels('Revision').length, 2);
    // v2 1/2, v2 2/2, v3 2/2: the carried 1/2 is the same node in both revisions.
    assert.deepEqual(labels('Patch'), ['patch-1-message@example.com', 'patch-2-message@example.com', 'patch-v3-2-message@example.com']);
    const hasPatch = edges.filter((e) => e.type === 'HAS_PATCH');
    assert.equal(hasPatch.length, 4);
    assert.deepEqual(hasPatch.filter((e) => e.props.rule === 'carried').map((e) => e.to), ['patch-1-message@example.com']);
    assert.equal(count(edges, 'HAS_VERSION'), 2);
    assert.deepEqual(
      edges.filter((e) => e.type === 'NEXT_VERSION').map((e) => [e.fromLabel, e.props.rule]),
      [
        ['Revision', 'thread'],
        ['Patch', 'title'],
      ],
    );
    // Every grouping and link edge says why.
    for (const e of edges.filter((x) => ['HAS_PATCH', 'HAS_COVER', 'NEXT_VERSION', 'TRAILER', 'COMMENTS_ON'].includes(x.type))) {
      assert.equal(typeof e.props.evidence, 'string');
      assert.ok((e.props.evidence as string).length > 0);
    }
    const trailers = edges.filter((e) => e.type === 'TRAILER');
    assert.ok(trailers.every((e) => e.from === 'person:followup-reviewer1@example.com'));
    assert.deepEqual(trailers.map((e) => e.to).sort(), ['patch-1-message@example.com', 'patch-2-message@example.com', 'patch-2-message@example.com', 'patch-v3-2-message@example.com']);
  });

  test('seed 002: mismatched trailers are not edges; name-only people are keyed by name', () => {
    const { messages } = parseMailArchiveDump(readFileSync(SEED.danAuthorArchive, 'utf8'), SEED.danAuthorArchive);
    const { nodes, edges } = seriesGraph(analyzeSeries(messages));
    const trailers = edges.filter((e) => e.type === 'TRAILER');
    assert.equal(trailers.length, 4);
    assert.ok(trailers.every((e) => e.from === 'person:name:dan williams'));
    assert.ok(!nodes.some((n) => n.label === 'Person' && n.key === 'person:name:logan gunthorpe'));
    const sub = nodes.find((n) => n.label === 'Series' && n.props.title === 'mm: Sub-section memory hotplug support');
    assert.equal(sub?.props.revisions, 4);
  });
});
