import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { dayParam, intParam, msgidParam, nextDay, stringParam } from './params.js';
import { HttpError } from './errors.js';

function status400(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof HttpError && err.status === 400 && pattern.test(err.message));
}

describe('query parameters', () => {
  test('days must exist on the calendar', () => {
    assert.equal(dayParam({ since: '2021-03-04' }, 'since'), '2021-03-04');
    assert.equal(dayParam({}, 'since'), undefined);
    assert.equal(dayParam({ since: '  ' }, 'since'), undefined);
    status400(() => dayParam({ since: '2021-02-30' }, 'since'), /YYYY-MM-DD/);
    status400(() => dayParam({ since: 'yesterday' }, 'since'), /'since' must be a date/);
    status400(() => dayParam({ since: '2021-3-4' }, 'since'), /YYYY-MM-DD/);
  });

  test('the day after crosses months and leap days', () => {
    assert.equal(nextDay('2021-02-28'), '2021-03-01');
    assert.equal(nextDay('2020-02-28'), '2020-02-29');
    assert.equal(nextDay('2020-12-31'), '2021-01-01');
  });

  test('numbers are whole and in range', () => {
    assert.equal(intParam({}, 'limit', { min: 1, max: 100, fallback: 20 }), 20);
    assert.equal(intParam({ limit: '50' }, 'limit', { min: 1, max: 100, fallback: 20 }), 50);
    status400(() => intParam({ limit: '0' }, 'limit', { min: 1, max: 100, fallback: 20 }), /from 1 to 100/);
    status400(() => intParam({ limit: '-3' }, 'limit', { min: 1, max: 100, fallback: 20 }), /whole number/);
    status400(() => intParam({ limit: '1e3' }, 'limit', { min: 1, max: 100, fallback: 20 }), /whole number/);
  });

  test('repeated and oversized parameters are refused', () => {
    status400(() => stringParam({ q: ['a', 'b'] }, 'q', 100), /given once/);
    status400(() => stringParam({ q: 'x'.repeat(101) }, 'q', 100), /too long/);
  });

  test('Message-IDs lose their angle brackets', () => {
    assert.equal(msgidParam('<a@b>'), 'a@b');
    assert.equal(msgidParam('a@b'), 'a@b');
    status400(() => msgidParam('  '), /required/);
  });
});
