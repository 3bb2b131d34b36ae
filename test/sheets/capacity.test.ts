import { estimateCapacity } from '../../src/sheets/capacity';

describe('the capacity estimate before the first backfill', () => {
  test('2,000 orders a day for 90 days does not fit; it says how many days do', () => {
    const e = estimateCapacity({ ordersPerDay: 2000, backfillDays: 90, cellsNow: 30_000 });
    // 2,000 × 90 × 110 = 19,800,000 cells; usable: 8,000,000 − 30,000 = 7,970,000 → 36 days.
    expect(e).toMatchObject({ cells: 19_800_000, fits: false, maxDays: 36 });
    expect(e.message).toContain('Set "Backfill days" on the Settings tab to 36 or fewer');
  });
  test('500 orders a day for 90 days fits, with the days it leaves', () => {
    const e = estimateCapacity({ ordersPerDay: 500, backfillDays: 90, cellsNow: 30_000 });
    // 4,950,000 cells; after: (10,000,000 − 30,000 − 4,950,000) / 55,000 = 91 days.
    expect(e).toMatchObject({ cells: 4_950_000, fits: true, daysAfter: 91 });
    expect(e.message).toMatch(/^The backfill fits/);
  });
  test('a shop with no orders yet fits', () => {
    expect(estimateCapacity({ ordersPerDay: 0, backfillDays: 90, cellsNow: 30_000 }).fits).toBe(true);
  });
});
