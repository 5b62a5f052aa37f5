import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ancestorsOf, Lru } from './ancestors.js';

test('ancestorsOf walks up to the root, stops at a repeat and at the bound', () => {
  const parents = new Map([['d', 'c'], ['c', 'b'], ['b', 'a']]);
  assert.deepEqual(ancestorsOf(parents, 'd'), ['c', 'b', 'a']);
  assert.deepEqual(ancestorsOf(parents, 'a'), []);
  assert.deepEqual(ancestorsOf(parents, 'd', 2), ['c', 'b']);
  const cycle = new Map([['x', 'y'], ['y', 'x']]);
  assert.deepEqual(ancestorsOf(cycle, 'x'), ['y', 'x']);
});

test('Lru keeps the most recently used entries', () => {
  const lru = new Lru<number>(2);
  lru.set('a', 1);
  lru.set('b', 2);
  assert.equal(lru.get('a'), 1); // a is now the most recent
  lru.set('c', 3); // evicts b
  assert.equal(lru.get('b'), undefined);
  assert.equal(lru.get('a'), 1);
  assert.equal(lru.get('c'), 3);
});
