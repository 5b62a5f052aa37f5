// Date parsing for Date headers and for the dates that archives and mail clients write elsewhere:
// lkml.org page dates, mail-archive day stamps, and the dates in attribution lines
// (`On Thu, Jun 13, 2019 at 11:42 AM …`, `On 3/4/21 3:06 PM …`, `On 04.03.21 04:31 …`).

export interface ParsedDate {
  /** ISO 8601 in UTC; when the zone is unknown the wall-clock time is taken as UTC. */
  iso: string | null;
  /** Minutes east of UTC, or null when no (usable) zone was written. */
  tzOffset: number | null;
  /** How much of the time was given: a whole day, minutes, or seconds. */
  precision: 'day' | 'minute' | 'second' | null;
}

const MIN_YEAR = 1970;
const MAX_YEAR = 2100;

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
  // German / other common abbreviations seen in attribution lines.
  mär: 3, mrz: 3, mai: 5, okt: 10, dez: 12, sept: 9,
};
const MONTH_RE = '(jan|feb|mar|mär|mrz|apr|may|mai|jun|jul|aug|sept|sep|oct|okt|nov|dec|dez)[a-zä]*\\.?';

/** Zone abbreviations seen on kernel lists, in minutes east of UTC. */
const ZONES: Record<string, number> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0, WET: 0,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
  AKST: -540, AKDT: -480, HST: -600,
  BST: 60, CET: 60, CEST: 120, MET: 60, MEST: 120, WEST: 60, EET: 120, EEST: 180, MSK: 180,
  IST: 330, CST8: 480, HKT: 480, SGT: 480, AWST: 480, JST: 540, KST: 540,
  ACST: 570, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780,
};

const NULL_DATE: ParsedDate = { iso: null, tzOffset: null, precision: null };

function fullYear(y: string): number {
  const n = Number(y);
  if (y.length <= 2) return n < 70 ? 2000 + n : 1900 + n;
  return n;
}

interface DayParts {
  y: number;
  m: number;
  d: number;
  end: number;
}

/** Find the calendar day anywhere in the text; `end` is where the day text ends. */
function findDay(s: string): DayParts | null {
  let m: RegExpExecArray | null;
  // ISO 2021-03-04 or 2021/03/04.
  if ((m = /(?<!\d)(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?!\d)/.exec(s))) {
    return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]), end: m.index + m[0].length };
  }
  // 7 Apr 2023, 07-Apr-2023.
  if ((m = new RegExp(`(?<!\\d)(\\d{1,2})(?:st|nd|rd|th)?[\\s-]+${MONTH_RE}[\\s,-]+(\\d{4}|\\d{2})(?![\\d:])`, 'i').exec(s))) {
    return { y: fullYear(m[3]), m: MONTHS[m[2].toLowerCase()], d: Number(m[1]), end: m.index + m[0].length };
  }
  // asctime: Apr  7 06:45:50 [zone] 2023
  if ((m = new RegExp(`${MONTH_RE}\\s+(\\d{1,2})\\s+(\\d{1,2}:\\d{2}(?::\\d{2})?)\\s+(?:([A-Za-z]{1,5}|[+-]\\d{4})\\s+)?(\\d{4})(?!\\d)`, 'i').exec(s))) {
    // The time sits before the year; report `end` at the day so the time search finds it.
    return { y: Number(m[5]), m: MONTHS[m[1].toLowerCase()], d: Number(m[2]), end: m.index + m[0].indexOf(m[3]) };
  }
  // mutt `%d %b %H:%M %Z %Y`: 31 May 13:47 PDT 2019
  if ((m = new RegExp(`(?<!\\d)(\\d{1,2})\\s+${MONTH_RE}\\s+(\\d{1,2}:\\d{2}(?::\\d{2})?)\\s+(?:([A-Za-z]{1,5}|[+-]\\d{4})\\s+)?(\\d{4})(?!\\d)`, 'i').exec(s))) {
    return { y: Number(m[5]), m: MONTHS[m[2].toLowerCase()], d: Number(m[1]), end: m.index + m[0].indexOf(m[3]) };
  }
  // Jun 13, 2019 / Apr 07 2023.
  if ((m = new RegExp(`${MONTH_RE}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})(?!\\d)`, 'i').exec(s))) {
    return { y: Number(m[3]), m: MONTHS[m[1].toLowerCase()], d: Number(m[2]), end: m.index + m[0].length };
  }
  // 3/4/21: US order unless the first number cannot be a month.
  if ((m = /(?<![\d/])(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})(?![\d/])/.exec(s))) {
    let mon = Number(m[1]);
    let day = Number(m[2]);
    if (mon > 12 && day <= 12) [mon, day] = [day, mon];
    return { y: fullYear(m[3]), m: mon, d: day, end: m.index + m[0].length };
  }
  // 06-01-21: mutt's `%d-%m-%y` (Michal Hocko, Jan Kara), day first.
  if ((m = /(?<![\d-])(\d{1,2})-(\d{1,2})-(\d{2})(?![\d-])/.exec(s))) {
    return { y: fullYear(m[3]), m: Number(m[2]), d: Number(m[1]), end: m.index + m[0].length };
  }
  // 04.03.21: European day.month.year.
  if ((m = /(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?![\d.])/.exec(s))) {
    return { y: fullYear(m[3]), m: Number(m[2]), d: Number(m[1]), end: m.index + m[0].length };
  }
  return null;
}

interface TimeParts {
  h: number;
  min: number;
  sec: number | null;
  tz: number | null;
}

function findTime(rest: string): TimeParts | null {
  const m = /(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(?![\d:])\s*([AaPp]\.?[Mm]\.?)?/.exec(rest);
  if (!m) return null;
  let h = Number(m[1]);
  const min = Number(m[2]);
  const sec = m[3] !== undefined ? Number(m[3]) : null;
  if (m[4]) {
    const pm = /^p/i.test(m[4]);
    if (h < 1 || h > 12) return null;
    if (h === 12) h = pm ? 12 : 0;
    else if (pm) h += 12;
  }
  if (h > 23 || min > 59 || (sec !== null && sec > 60)) return null;
  const after = rest.slice(m.index + m[0].length);
  return { h, min, sec, tz: findZone(after) };
}

/** The zone written right after the time: `+0100`, `-08:00`, `EST`, `(PST)`. */
function findZone(after: string): number | null {
  const s = after.replace(/^[\s,]+/, '');
  let m = /^(?:(?:GMT|UTC)\s*)?([+-])(\d{2}):?(\d{2})(?!\d)/i.exec(s);
  if (m) {
    const mins = Number(m[2]) * 60 + Number(m[3]);
    if (Number(m[2]) > 14 || Number(m[3]) > 59) return null;
    return (m[1] === '-' ? -1 : 1) * mins;
  }
  m = /^\(?([A-Z]{1,5})\)?(?![A-Za-z])/.exec(s);
  if (m && m[1] in ZONES) return ZONES[m[1]];
  return null;
}

/**
 * Parse a date written by a mail header, an archive page or an attribution line. The text may
 * carry words around the date (`On …, Name wrote:`). Never throws; garbage gives nulls.
 */
export function parseDate(raw: string): ParsedDate {
  try {
    return parseDateUnsafe(typeof raw === 'string' ? raw : String(raw));
  } catch {
    return { ...NULL_DATE };
  }
}

function parseDateUnsafe(input: string): ParsedDate {
  const s = input.slice(0, 512).replace(/\s+/g, ' ').trim();
  if (!s) return { ...NULL_DATE };
  const day = findDay(s);
  if (!day) return { ...NULL_DATE };
  if (!Number.isInteger(day.y) || day.y < MIN_YEAR || day.y > MAX_YEAR) return { ...NULL_DATE };
  if (!(day.m >= 1 && day.m <= 12) || !(day.d >= 1 && day.d <= 31)) return { ...NULL_DATE };
  const probe = new Date(Date.UTC(day.y, day.m - 1, day.d));
  if (probe.getUTCMonth() !== day.m - 1 || probe.getUTCDate() !== day.d) return { ...NULL_DATE };

  const time = findTime(s.slice(day.end, day.end + 80));
  if (!time) return { iso: probe.toISOString(), tzOffset: null, precision: 'day' };
  const wall = Date.UTC(day.y, day.m - 1, day.d, time.h, time.min, Math.min(time.sec ?? 0, 59));
  const utc = wall - (time.tz ?? 0) * 60_000;
  const d = new Date(utc);
  if (Number.isNaN(d.getTime())) return { ...NULL_DATE };
  return { iso: d.toISOString(), tzOffset: time.tz, precision: time.sec === null ? 'minute' : 'second' };
}
