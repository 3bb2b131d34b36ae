/**
 * Date and time cells of Seller Center exports, and the order of a file's slash dates.
 *
 * Formats read (wall-clock time in a zone → Unix seconds):
 * - year first, always year/month/day: "2025-03-04 13:45:10", "2025-03-04 13:45", "2025-03-04",
 *   "2025/03/04[ …]" (the US income export writes `2024/04/23`);
 * - year last, "23/09/2026 16:06:19", "03/04/2025 1:45:10 PM", also with "-" or "." between the
 *   parts: day/month/year or month/day/year, as the FILE's date order says (below); 12- or 24-hour
 *   clock;
 * - an Excel serial number as text ("45720.57" = days since 1899-12-30, fraction of a day rounded
 *   to the second), as an .xlsx date cell is read.
 *
 * The order of year-last dates is decided once per file, never guessed:
 * 1. a value proves it: a first part above 12 can only be a day (23/09/2026 → day/month/year), a
 *    second part above 12 can only be a day (09/23/2026 → month/day/year); a header that states
 *    its pattern ("Created Time (DD/MM/YYYY)") proves it too. Proofs of both orders in one file
 *    refuse the file, naming both cells: one file is written in one order.
 * 2. else the order Seller Center is known to write for the shop's region (DATE_ORDER_BY_CURRENCY),
 *    said in a note of the preview;
 * 3. else the file is refused, naming the column, example values and what would settle it.
 * Once decided, every year-last date of the file is read in that order: a value that is not a
 * date in it (31/12 read month-first) is refused as a bad date of its row.
 */
import { offsetSeconds } from '../core/time';
import { fileError } from './import-error';
import type { HeaderZone } from './headers';

export type DateOrder = 'DMY' | 'MDY';
/** An IANA time zone (the shop's), or a fixed offset a header states. */
export type Zone = string | HeaderZone;

const ORDER_WORDS: Record<DateOrder, string> = { DMY: 'day/month/year', MDY: 'month/day/year' };
export const dateOrderWords = (o: DateOrder): string => ORDER_WORDS[o];

/**
 * The order Seller Center writes year-last dates in, by the shop's currency (its region), where
 * real files show it: GB, SG and TH order exports write "23/09/2026 16:06:19"; US order exports
 * write "03/04/2025 1:45:10 PM". Regions not listed are decided by their files' values alone.
 */
export const DATE_ORDER_BY_CURRENCY: Readonly<Record<string, { order: DateOrder; region: string }>> = {
  USD: { order: 'MDY', region: 'US' },
  GBP: { order: 'DMY', region: 'GB' },
  SGD: { order: 'DMY', region: 'SG' },
  THB: { order: 'DMY', region: 'TH' },
};

const YEAR_FIRST = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/;
const YEAR_LAST = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/;
const SERIAL = /^\d+(?:\.\d+)?$/;

/** The two leading parts of a year-last date ("23/09/2026 …" → [23, 9]), else null. */
export function yearLastParts(text: string): [number, number] | null {
  const m = YEAR_LAST.exec(text.trim());
  return m ? [Number(m[1]), Number(m[3])] : null;
}

const MAX_YEAR = 2399;

/** The year of a date text that is beyond the Common Era years read (e.g. a Buddhist-era 2569), else null. */
export function foreignEraYear(text: string): number | null {
  const m = /(?:^|\D)(\d{4})(?:\D|$)/.exec(text);
  return m && Number(m[1]) > MAX_YEAR ? Number(m[1]) : null;
}

/** Wall-clock fields in `zone` → Unix seconds; null when the fields are not a real date/time. */
function civilToUnix(y: number, mo: number, d: number, h: number, mi: number, s: number, zone: Zone): number | null {
  // A year of another era (a Thai Buddhist-era 2569 is 2026) is not converted: never guessed.
  if (y < 1900 || y > MAX_YEAR) return null;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  const local = ms / 1000;
  if (typeof zone !== 'string') return local - zone.offsetMinutes * 60;
  // Same two-step correction as core startOfDay: exact on both sides of a DST change.
  let guess = local - offsetSeconds(local, zone);
  guess = local - offsetSeconds(guess, zone);
  return guess;
}

/**
 * Parses a date/time cell as wall-clock time in `zone`; null if it is not one. A year-last date
 * needs the file's `order` (null: the file has none, so such a text is not read).
 */
export function parseTimeCell(text: string, zone: Zone, order: DateOrder | null): number | null {
  const t = text.trim();
  let y: number, mo: number, d: number;
  let clock: (string | undefined)[];
  let m = YEAR_FIRST.exec(t);
  if (m) {
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    clock = m.slice(4, 8);
  } else if ((m = YEAR_LAST.exec(t))) {
    if (order === null) return null;
    const [a, b] = [Number(m[1]), Number(m[3])];
    [d, mo] = order === 'DMY' ? [a, b] : [b, a];
    y = Number(m[4]);
    clock = m.slice(5, 9);
  } else if (SERIAL.test(t)) {
    const total = Math.round(Number(t) * 86400);
    const days = Math.floor(total / 86400);
    if (days < 1 || days > 2958465) return null;
    const sec = total - days * 86400;
    const date = new Date((days - 25569) * 86400 * 1000);
    return civilToUnix(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), Math.floor(sec / 3600), Math.floor((sec % 3600) / 60), sec % 60, zone);
  } else {
    return null;
  }
  let h = clock[0] === undefined ? 0 : Number(clock[0]);
  const mi = clock[1] === undefined ? 0 : Number(clock[1]);
  const s = clock[2] === undefined ? 0 : Number(clock[2]);
  const ampm = clock[3]?.toUpperCase();
  if (ampm) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (ampm === 'PM' ? 12 : 0);
  }
  return civilToUnix(y, mo, d, h, mi, s, zone);
}

/** The examples of a date format, for "expected …" messages. */
export function timeFormats(order: DateOrder | null): string {
  const slash = order === 'DMY' ? '"23/09/2026 16:06:19"' : order === 'MDY' ? '"03/04/2025 1:45:10 PM"' : null;
  return `a date and time like "2025-03-04 13:45:10", ${slash ? `${slash}, ` : ''}"2025/03/04" or an Excel serial like "45720.57"`;
}

// ---------------------------------------------------------------- the file's date order

/** A year-last date cell of the file (only these need an order). */
export interface DateSample {
  sheet: string;
  row: number;
  column: string;
  value: string;
}

/** A header that states its date pattern. */
export interface DateHint {
  sheet: string;
  column: string;
  order: DateOrder;
}

export interface DecidedOrder {
  /** null when the file has no year-last date (nothing to decide). */
  order: DateOrder | null;
  /** Said in the preview when the order came from the region, not from the file itself. */
  note: string | null;
}

type Proof = { order: DateOrder; says: string };

function isDate(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1) return false;
  return new Date(Date.UTC(y, mo - 1, d)).getUTCDate() === d;
}

function proofOf(s: DateSample): Proof | null {
  const parts = yearLastParts(s.value);
  if (!parts) return null;
  const [a, b] = parts;
  const where = `sheet "${s.sheet}", row ${s.row}, column "${s.column}" has "${s.value}"`;
  const year = Number(/(\d{4})/.exec(s.value)![1]);
  // Only a real date proves its order ("31/02/2025" is a bad date in both and proves nothing).
  if (a > 12 && isDate(year, b, a)) return { order: 'DMY', says: `${where}, which can only be day/month/year (${a} is not a month)` };
  if (b > 12 && isDate(year, a, b)) return { order: 'MDY', says: `${where}, which can only be month/day/year (${b} is not a month)` };
  return null;
}

/** Decides the order of the file's year-last dates (see the top), or refuses the file. */
export function decideDateOrder(file: string, samples: DateSample[], hints: DateHint[], currency: string): DecidedOrder {
  const proofs: Proof[] = hints.map((h) => ({ order: h.order, says: `sheet "${h.sheet}", column "${h.column}" states ${ORDER_WORDS[h.order]} in its header` }));
  for (const s of samples) {
    const p = proofOf(s);
    if (p) proofs.push(p);
  }
  const dmy = proofs.find((p) => p.order === 'DMY');
  const mdy = proofs.find((p) => p.order === 'MDY');
  if (dmy && mdy) {
    throw fileError(file,
      `File "${file}": its dates cannot be read in one order: ${dmy.says}, but ${mdy.says}. Nothing was imported: one Seller Center file is written in one date order, so export it again rather than combining files.`);
  }
  if (samples.length === 0) return { order: (dmy ?? mdy)?.order ?? null, note: null };
  if (dmy || mdy) return { order: (dmy ?? mdy)!.order, note: null };
  const region = DATE_ORDER_BY_CURRENCY[currency];
  const first = samples[0];
  const examples = [...new Set(samples.filter((s) => s.sheet === first.sheet && s.column === first.column).map((s) => s.value))].slice(0, 3);
  if (region) {
    return {
      order: region.order,
      note: `Dates of ${file} such as ${examples.map((v) => `"${v}"`).join(', ')} were read as ${ORDER_WORDS[region.order]}, the order Seller Center writes for a ${region.region} shop (${currency}): no date in the file has a day above 12 to prove it.`,
    };
  }
  throw fileError(file,
    `File "${file}": the dates of column "${first.column}" (sheet "${first.sheet}"), such as ${examples.map((v) => `"${v}"`).join(', ')}, can be read as day/month/year or as month/day/year, and nothing settles it: no date in the file has a day above 12, no header states the order, and the order Seller Center writes for a shop in ${currency} is not known to this add-on. Nothing was imported. A file covering a day after the 12th of a month settles it (export a longer date range), as do dates written year first (2025-03-04) or an .xlsx whose dates are date cells.`,
    { sheet: first.sheet, row: first.row, column: first.column });
}
