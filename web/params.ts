// Reading query parameters: every value is checked, and anything wrong is a 400 that says what
// was expected. Express 5 parses a repeated parameter into an array; that is refused too.
import { badRequest } from './errors.js';

type Query = Record<string, unknown>;

export function stringParam(query: Query, name: string, maxLength: number): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw badRequest(`'${name}' must be given once, as plain text`);
  if (v.length > maxLength) throw badRequest(`'${name}' is too long (at most ${maxLength} characters)`);
  const trimmed = v.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function intParam(query: Query, name: string, opts: { min: number; max: number; fallback: number }): number {
  const v = stringParam(query, name, 12);
  if (v === undefined) return opts.fallback;
  if (!/^\d+$/.test(v)) throw badRequest(`'${name}' must be a whole number from ${opts.min} to ${opts.max}, not '${v}'`);
  const n = Number(v);
  if (n < opts.min || n > opts.max) throw badRequest(`'${name}' must be from ${opts.min} to ${opts.max}, not ${n}`);
  return n;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day written YYYY-MM-DD, checked to exist (no 2021-02-30). */
export function dayParam(query: Query, name: string): string | undefined {
  const v = stringParam(query, name, 10);
  if (v === undefined) return undefined;
  const m = DAY.exec(v);
  const valid =
    m !== null &&
    (() => {
      const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
      return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
    })();
  if (!valid) throw badRequest(`'${name}' must be a date written YYYY-MM-DD, not '${v}'`);
  return v;
}

/** The day after a YYYY-MM-DD day, for an inclusive upper bound on ISO timestamps. */
export function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** A Message-ID from a URL: angle brackets tolerated, empty or oversized refused. */
export function msgidParam(raw: unknown): string {
  if (typeof raw !== 'string') throw badRequest('a Message-ID is required');
  const msgid = raw.trim().replace(/^<(.*)>$/, '$1');
  if (msgid === '') throw badRequest('a Message-ID is required');
  if (msgid.length > 998) throw badRequest('that Message-ID is too long to be one');
  return msgid;
}
