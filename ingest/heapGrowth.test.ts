import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectGarbage } from './heapGrowth.js';

test('collectGarbage frees what is no longer reachable, at once', () => {
  let garbage: number[][] | null = Array.from({ length: 64 }, (_, i) => new Array<number>(100_000).fill(i + 0.5));
  const held = process.memoryUsage().heapUsed;
  assert.equal(garbage.length, 64);
  garbage = null;
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  // 64 arrays of 100,000 doubles: ~51 MB, all of it unreachable.
  assert.ok(held - after > 40e6, `heap ${Math.round(held / 1e6)} MB -> ${Math.round(after / 1e6)} MB`);
  collectGarbage(); // the collector is made once and can be called again
});
