/**
 * Will the first backfill fit? Sheets holds 10,000,000 cells per workbook, every tab's grid
 * counted, and the add-on writes about CELLS_PER_ORDER cells per order over all its tabs (data
 * and reports; measured by `npm run bench:workbook`, docs/benchmarks.md). Before the first
 * backfill the refresh asks TikTok how many orders the shop had over the last week and refuses a
 * window that cannot fit, saying how many days can — rather than stopping at the limit hours
 * into the backfill with the workbook half full.
 */
export const WORKBOOK_CELL_LIMIT = 10_000_000;
/** Cells per order over every tab (the 100,000-order bench measured 106; rounded up). */
export const CELLS_PER_ORDER = 110;
/** Kept free for later refreshes: the workbook must not be full the day the backfill ends. */
export const HEADROOM_SHARE = 0.2;

export interface CapacityEstimate {
  ordersPerDay: number;
  backfillDays: number;
  /** Cells the backfill is expected to add. */
  cells: number;
  /** Cells in the workbook before it. */
  cellsNow: number;
  /** The backfill leaves at least HEADROOM_SHARE of the limit free. */
  fits: boolean;
  /** The most backfill days that do. */
  maxDays: number;
  /** Days of new orders the workbook holds after the backfill, at this rate. */
  daysAfter: number;
  message: string;
}

export function estimateCapacity(input: { ordersPerDay: number; backfillDays: number; cellsNow: number; cellsPerOrder?: number }): CapacityEstimate {
  const perOrder = input.cellsPerOrder ?? CELLS_PER_ORDER;
  const perDay = Math.max(0, input.ordersPerDay) * perOrder;
  const cells = Math.round(perDay * input.backfillDays);
  const usable = WORKBOOK_CELL_LIMIT * (1 - HEADROOM_SHARE) - input.cellsNow;
  const maxDays = perDay > 0 ? Math.max(0, Math.floor(usable / perDay)) : Infinity;
  const fits = cells <= usable;
  const daysAfter = perDay > 0 ? Math.max(0, Math.floor((WORKBOOK_CELL_LIMIT - input.cellsNow - cells) / perDay)) : Infinity;
  const rate = `${Math.round(input.ordersPerDay).toLocaleString('en-US')} orders a day × ${input.backfillDays} days × about ${perOrder} cells an order`;
  const message = fits
    ? `The backfill fits: ${rate} ≈ ${cells.toLocaleString('en-US')} cells of Google Sheets' 10,000,000; the workbook then has room for about ${daysAfter === Infinity ? 'many' : daysAfter.toLocaleString('en-US')} more days at this rate.`
    : `The backfill does not fit in one workbook: ${rate} ≈ ${cells.toLocaleString('en-US')} cells, and Google Sheets holds 10,000,000 (the workbook has ${input.cellsNow.toLocaleString('en-US')} already, and a fifth is kept free for the days after). `
      + `Set "Backfill days" on the Settings tab to ${maxDays} or fewer, then refresh.`;
  return { ordersPerDay: input.ordersPerDay, backfillDays: input.backfillDays, cells, cellsNow: input.cellsNow, fits, maxDays: maxDays === Infinity ? input.backfillDays : maxDays, daysAfter: daysAfter === Infinity ? Number.MAX_SAFE_INTEGER : daysAfter, message };
}
