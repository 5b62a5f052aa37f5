// Time-zone-aware comparison of an attribution date with a candidate message's date. Each date
// becomes the interval of UTC instants it can denote: exact when the zone is known, ±the span of
// world time zones when it is not, a whole day (plus zones) for archives that give only a day.
import { parseDate, type ParsedDate } from '../parse/date.js';

const HOUR = 3_600_000;
/** UTC = wall clock − offset, offsets span −12h..+14h. */
const ZONE_BEFORE = 14 * HOUR;
const ZONE_AFTER = 12 * HOUR;

export interface TimeInterval {
  lo: number;
  hi: number;
}

/** The UTC instants a parsed date can stand for. */
export function dateInterval(d: ParsedDate): TimeInterval | null {
  if (!d.iso) return null;
  const t = Date.parse(d.iso);
  if (Number.isNaN(t)) return null;
  const span = d.precision === 'day' ? 24 * HOUR : d.precision === 'minute' ? 60_000 : 1000;
  if (d.tzOffset === null) return { lo: t - ZONE_BEFORE, hi: t + span + ZONE_AFTER };
  return { lo: t, hi: t + span };
}

/** Interval of a message's date, recomputing the precision from the raw text when there is one. */
export function messageInterval(m: { date: string | null; tzOffset: number | null; dateRaw: string | null }): TimeInterval | null {
  if (m.dateRaw) {
    const p = parseDate(m.dateRaw);
    if (p.iso) return dateInterval(p);
  }
  if (!m.date) return null;
  return dateInterval({ iso: m.date, tzOffset: m.tzOffset, precision: 'second' });
}

/** Hours between two intervals (0 when they overlap). */
export function gapHours(a: TimeInterval, b: TimeInterval): number {
  const gap = Math.max(0, a.lo - b.hi, b.lo - a.hi);
  return gap / HOUR;
}

/** Hours between the midpoints: how close two dates are when both intervals overlap. */
export function midpointHours(a: TimeInterval, b: TimeInterval): number {
  return Math.abs((a.lo + a.hi) / 2 - (b.lo + b.hi) / 2) / HOUR;
}

/** Slack on top of the intervals for archive clocks (a day stamp may be the archive's receive time). */
export const DATE_TOLERANCE_HOURS = 6;

export function describeInterval(i: TimeInterval): string {
  const f = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');
  return i.hi - i.lo <= 60_000 ? `${f(i.lo)}Z` : `${f(i.lo)}Z..${f(i.hi)}Z`;
}
