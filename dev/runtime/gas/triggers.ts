/**
 * When a time-driven trigger fires next, from the schedule its builder recorded
 * (ScriptApp.newTrigger(f).timeBased()…create()). Google picks a moment inside the scheduled
 * span (atHour(9) runs between 9:00 and 10:00; everyHours(1) at a minute of its choosing) and
 * does not catch up on runs missed while nothing could fire. Here:
 * - everyMinutes(n) / everyHours(n): every n minutes / hours after the trigger was created;
 * - everyDays(n) [atHour(h)] [nearMinute(m)] [inTimezone(tz)]: at h:m (default 0:00) of the
 *   trigger's time zone (inTimezone, else the script's), every n days from the first;
 * - everyWeeks(n) with onWeekDay(d): the same, on that weekday;
 * - after(ms): once, ms after creation; at(date): once, at that date.
 * A firing is never earlier than `nowMs` (no catching up) nor at or before the last one.
 */
import { instantOf, wallTime } from './spreadsheet';
import type { TriggerModel } from './services';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const WEEKDAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

export function nextFiring(trigger: TriggerModel, nowMs: number, scriptTimeZone: string): number | null {
  const arg = (method: string): unknown => trigger.schedule.find((c) => c.method === method)?.args[0];
  const has = (method: string) => trigger.schedule.some((c) => c.method === method);
  const created = trigger._createdAt;
  const last = trigger._lastFired;
  const from = Math.max(nowMs, last === null ? created : last + 1);

  if (has('after') || has('at')) {
    if (last !== null) return null;
    const at = has('after') ? created + Number(arg('after')) : new Date(arg('at') as Date).getTime();
    return Math.max(at, nowMs);
  }
  const every = has('everyMinutes') ? Number(arg('everyMinutes')) * MINUTE : has('everyHours') ? Number(arg('everyHours')) * HOUR : null;
  if (every !== null) {
    const k = Math.max(1, Math.ceil((from - created) / every));
    return created + k * every;
  }
  const days = has('everyDays') ? Number(arg('everyDays')) : has('everyWeeks') ? 7 * Number(arg('everyWeeks')) : null;
  if (days === null) return null;
  const tz = has('inTimezone') ? String(arg('inTimezone')) : scriptTimeZone;
  const hour = has('atHour') ? Number(arg('atHour')) : 0;
  const minute = has('nearMinute') ? Number(arg('nearMinute')) : 0;
  const weekday = has('onWeekDay') ? WEEKDAYS.indexOf(String(arg('onWeekDay'))) : -1;
  // Walk the days of the trigger's zone from the creation day; the first firing starts the n-day rhythm.
  const startWall = wallTime(created, tz);
  const day0 = Date.UTC(startWall.getUTCFullYear(), startWall.getUTCMonth(), startWall.getUTCDate());
  let first: number | null = null;
  for (let i = 0; i < 4000; i++) {
    const wall = new Date(day0 + i * DAY + hour * HOUR + minute * MINUTE);
    if (weekday >= 0 && wall.getUTCDay() !== weekday) continue;
    const at = instantOf(wall, tz).getTime();
    if (at < created) continue;
    if (first === null) first = day0 + i * DAY;
    if (Math.round((day0 + i * DAY - first) / DAY) % days !== 0) continue;
    if (at >= from) return at;
  }
  return null;
}
