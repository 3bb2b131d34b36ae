import { addDays, bucketKey, dayKey, daysOfMonth, startOfDay, weekKey } from '../../src/core/time';

test('days are the shop’s: the same instant is a different day in Los Angeles and Tokyo', () => {
  const t = Date.UTC(2026, 10, 24, 3) / 1000; // 03:00 UTC on 24 Nov
  expect(dayKey(t, 'America/Los_Angeles')).toBe('2026-11-23');
  expect(dayKey(t, 'Asia/Tokyo')).toBe('2026-11-24');
  expect(dayKey(t, 'Etc/UTC')).toBe('2026-11-24');
});

test('start of day across daylight-saving changes (23- and 25-hour days)', () => {
  const tz = 'America/Los_Angeles';
  expect(startOfDay('2026-03-08', tz)).toBe(Date.UTC(2026, 2, 8, 8) / 1000);
  expect(startOfDay('2026-03-09', tz) - startOfDay('2026-03-08', tz)).toBe(23 * 3600);
  expect(startOfDay('2026-11-02', tz) - startOfDay('2026-11-01', tz)).toBe(25 * 3600);
  expect(dayKey(startOfDay('2026-11-01', tz), tz)).toBe('2026-11-01');
  expect(dayKey(startOfDay('2026-11-02', tz) - 1, tz)).toBe('2026-11-01');
});

test('weeks start on Monday by default, or on the day Settings says', () => {
  expect(weekKey('2026-11-24')).toBe('2026-11-23'); // Tuesday → Monday
  expect(weekKey('2026-11-29')).toBe('2026-11-23'); // Sunday → the Monday before
  expect(weekKey('2026-11-29', 'SUNDAY')).toBe('2026-11-29');
  expect(bucketKey('2026-11-24', 'month')).toBe('2026-11');
  expect(bucketKey('2026-11-24', 'day')).toBe('2026-11-24');
});

test('calendar arithmetic', () => {
  expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  expect(daysOfMonth('2024-02')).toHaveLength(29);
  expect(daysOfMonth('2026-02')).toHaveLength(28);
});
