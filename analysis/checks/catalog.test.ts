// The catalog is consistent with the model it runs: unique names, scenario families that load,
// slots and fix variants the model knows, and a source for every check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findVariant, loadScenario, SLOT_IMPLS } from '../sparsemem/index.js';
import { CATALOG, KNOWN_FIXES } from './catalog.js';
import { parseSubject } from '../../ingest/parse/subject.js';
import { KNOWN_PATCHES } from './patches.js';

test('every check names unique, loadable scenarios, known slots and its sources', () => {
  assert.equal(new Set(CATALOG.map((c) => c.name)).size, CATALOG.length);
  for (const c of CATALOG) {
    assert.ok(c.scenarios.length > 0, c.name);
    for (const s of c.scenarios) assert.equal(loadScenario(s).name, s, `${c.name}: ${s}`);
    for (const slot of c.slots) assert.ok(slot in SLOT_IMPLS, `${c.name}: slot ${slot}`);
    assert.ok(c.sources.length > 0 && c.decides.length > 0 && c.appliesWhen.length > 0, c.name);
  }
});

test('every variant a patch or a fix maps to exists in the model', () => {
  const names = [
    ...Object.values(KNOWN_FIXES).flatMap((f) => f.variants),
    ...KNOWN_PATCHES.flatMap((p) => p.fixed?.variants ?? []),
  ];
  for (const p of KNOWN_PATCHES) {
    for (const tag of ['PATCH', 'PATCH V2 1/2', 'PATCH V2 2/2', 'PATCH V3', 'RFC PATCH v2']) {
      const s = parseSubject(`[${tag}] some title`);
      for (const i of [null, 1, 2]) names.push(...(p.underReview(s, i)?.variants ?? []));
    }
  }
  for (const n of names) assert.ok(findVariant(n), n);
  for (const k of Object.keys(KNOWN_FIXES)) assert.ok(CATALOG.some((c) => c.name === k), k);
});
