/**
 * Shop-timezone calendar: API times are Unix seconds (UTC); days, weeks and months are the
 * shop's. A day key is the ISO date "YYYY-MM-DD" as the shop's clock reads it.
 *
 * Offsets come from Intl (present in Apps Script's V8 runtime and in Node). An offset only
 * changes at DST transitions, so it is cached per UTC hour: bucketing a million orders costs
 * a million map look-ups, not a million Intl calls.
 */

export type Weekday = 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'SUNDAY';
export const WEEKDAYS: readonly Weekday[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

const DAY = 86400;
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Offset of `tz` from UTC at the instant `unixSeconds`, in seconds (e.g. -28800 for PST). */
export function offsetSeconds(unixSeconds: number, tz: string): number {
  const hour = Math.floor(unixSeconds / 3600);
  let byHour = offsetCache.get(tz);
  if (!byHour) {
    byHour = new Map();
    offsetCache.set(tz, byHour);
  }
  const cached = byHour.get(hour);
  if (cached !== undefined) return cached;
  // Every zone in use changes offset on a whole quarter hour, so the offset at the start of
  // the UTC hour holds for the whole hour except in zones with :30/:45 transitions, which
  // do not exist today; we still compute at the exact hour start to stay consistent.
  const at = hour * 3600;
  const parts = formatter(tz).formatToParts(new Date(at * 1000));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) / 1000;
  const off = asUtc - at;
  byHour.set(hour, off);
  return off;
}

/** "YYYY-MM-DD" of the shop-local calendar day containing the instant. */
export function dayKey(unixSeconds: number, tz: string): string {
  const local = unixSeconds + offsetSeconds(unixSeconds, tz);
  return civilFromDays(Math.floor(local / DAY));
}

/** First instant (Unix seconds) of the shop-local day `day` ("YYYY-MM-DD"). */
export function startOfDay(day: string, tz: string): number {
  const localMidnight = daysFromCivil(day) * DAY;
  // Guess with the offset a day earlier/later, then correct once: handles DST on either side.
  let guess = localMidnight - offsetSeconds(localMidnight, tz);
  guess = localMidnight - offsetSeconds(guess, tz);
  return guess;
}

/** "YYYY-MM" of a day key. */
export function monthKey(day: string): string {
  return day.slice(0, 7);
}

/** Day key of the first day of the week containing `day`, weeks starting on `weekStart`. */
export function weekKey(day: string, weekStart: Weekday = 'MONDAY'): string {
  const n = daysFromCivil(day);
  // 1970-01-01 was a Thursday (index 3 with Monday = 0).
  const weekdayIndex = (((n + 3) % 7) + 7) % 7;
  const startIndex = WEEKDAYS.indexOf(weekStart);
  const back = (weekdayIndex - startIndex + 7) % 7;
  return civilFromDays(n - back);
}

export type Grain = 'day' | 'week' | 'month';

export function bucketKey(day: string, grain: Grain, weekStart: Weekday = 'MONDAY'): string {
  if (grain === 'day') return day;
  if (grain === 'week') return weekKey(day, weekStart);
  return monthKey(day);
}

/** Adds whole days to a day key. */
export function addDays(day: string, n: number): string {
  return civilFromDays(daysFromCivil(day) + n);
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return daysFromCivil(b) - daysFromCivil(a);
}

/** The day keys of a calendar month "YYYY-MM". */
export function daysOfMonth(month: string): string[] {
  const first = `${month}-01`;
  const out: string[] = [];
  for (let d = first; d.startsWith(month); d = addDays(d, 1)) out.push(d);
  return out;
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDayKey(s: string): boolean {
  const m = DAY_RE.exec(s);
  if (!m) return false;
  return civilFromDays(daysFromCivil(s)) === s;
}

// Howard Hinnant's days_from_civil / civil_from_days: exact proleptic Gregorian arithmetic.
function daysFromCivil(day: string): number {
  const m = DAY_RE.exec(day);
  if (!m) throw new Error(`Expected a date "YYYY-MM-DD", got "${day}"`);
  let y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  y -= mo <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z0: number): string {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
