/**
 * Exact, currency-aware money.
 *
 * Amounts are integers in the currency's minor unit (cents for USD, yen for JPY) held in
 * plain JS numbers. Integer addition is exact in a double up to 2^53 (≈ 9e13 dollars), far
 * beyond any shop, and keeps the engine fast over a million lines; every operation that
 * could produce a fraction (a rate, a share, an allocation) goes through one of the
 * rounding functions below, which work on integers only. Amounts are parsed from TikTok's
 * decimal strings digit by digit, never through parseFloat.
 */
import { CurrencyMismatchError, DataError } from './errors';

/** ISO 4217 minor units for the currencies TikTok Shop settles in. */
const MINOR_UNITS: Readonly<Record<string, number>> = {
  USD: 2, GBP: 2, EUR: 2, CAD: 2, AUD: 2, MXN: 2, BRL: 2, SGD: 2, MYR: 2, THB: 2, PHP: 2,
  IDR: 2, CNY: 2, HKD: 2, TWD: 2, SAR: 2, AED: 2, PLN: 2, CZK: 2, HUF: 2, SEK: 2, DKK: 2, NOK: 2, CHF: 2,
  JPY: 0, KRW: 0, VND: 0, CLP: 0,
};

export function isKnownCurrency(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(MINOR_UNITS, code);
}

export function knownCurrencies(): string[] {
  return Object.keys(MINOR_UNITS);
}

/** Number of decimal places of the currency's minor unit (2 for USD, 0 for JPY). */
export function minorUnits(currency: string): number {
  const d = MINOR_UNITS[currency];
  if (d === undefined) throw new Error(`Unknown currency "${currency}": expected an ISO 4217 code such as USD or JPY`);
  return d;
}

/** An amount of one currency, in integer minor units. */
export interface Money {
  readonly minor: number;
  readonly currency: string;
}

export function money(minor: number, currency: string): Money {
  if (!Number.isSafeInteger(minor)) throw new Error(`Money must be a whole number of minor units, got ${minor}`);
  minorUnits(currency);
  return { minor, currency };
}

const AMOUNT_RE = /^([+-])?(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal string (`"35.97"`, `"-30"`, `"1500"`) into minor units.
 *
 * Refuses, with the field named: an empty or non-numeric text, more decimals than the
 * currency has (a JPY amount of "10.5" is not a real amount, rounding it would hide a bug),
 * and values too large to be exact.
 */
export function parseAmount(text: unknown, currency: string, where: { record: string; id?: string; field: string }): number {
  const digits = minorUnits(currency);
  if (typeof text === 'number') {
    // Numbers come from sheet cells; accept them only when they are exact at this precision.
    if (!Number.isFinite(text)) throw new DataError({ ...where, expected: `an amount in ${currency}`, got: text });
    return parseAmount(numberToPlainString(text), currency, where);
  }
  if (typeof text !== 'string') throw new DataError({ ...where, expected: `an amount in ${currency} as a decimal text like "12.34"`, got: text });
  const s = text.trim();
  const m = AMOUNT_RE.exec(s);
  if (!m) throw new DataError({ ...where, expected: `an amount in ${currency} as a decimal text like "12.34"`, got: text });
  const [, sign, whole, fracRaw = ''] = m;
  // Trailing zeros beyond the minor unit are harmless ("12.300" USD); other digits are not.
  const frac = fracRaw.replace(/0+$/, '');
  if (frac.length > digits) {
    throw new DataError({ ...where, expected: `at most ${digits} decimal place${digits === 1 ? '' : 's'} for ${currency}`, got: text });
  }
  const minorText = whole + frac.padEnd(digits, '0');
  const value = Number(minorText);
  if (!Number.isSafeInteger(value)) throw new DataError({ ...where, expected: `an amount small enough to be exact`, got: text });
  return sign === '-' && value !== 0 ? -value : value;
}

function numberToPlainString(n: number): string {
  // Sheets shows and compares numbers to 15 significant digits; reading a cell at that
  // precision turns 0.30000000000000004 (=0.1+0.2) back into the 0.3 the user sees, while a
  // genuine 19.999 keeps its third decimal and is refused by the caller.
  const shown = Number(n.toPrecision(15));
  const text = String(shown);
  return /e/i.test(text) && Math.abs(shown) < 1 ? shown.toFixed(20) : text;
}

/** Renders minor units as a plain decimal string ("-12.30", "1500"). */
export function formatAmount(minor: number, currency: string): string {
  const digits = minorUnits(currency);
  const neg = minor < 0;
  const abs = String(Math.abs(minor));
  if (digits === 0) return (neg ? '-' : '') + abs;
  const padded = abs.padStart(digits + 1, '0');
  return `${neg ? '-' : ''}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/** Converts minor units to a number of major units for writing to a sheet cell (display only). */
export function toMajor(minor: number, currency: string): number {
  return minor / 10 ** minorUnits(currency);
}

export function assertSameCurrency(expected: string, got: string, where: string): void {
  if (expected !== got) throw new CurrencyMismatchError(expected, got, where);
}

/** Sums amounts that all carry a currency; refuses a mix. Returns 0 minor units for an empty list. */
export function sumMoney(items: readonly Money[], currency: string, where: string): Money {
  let total = 0;
  for (const m of items) {
    assertSameCurrency(currency, m.currency, where);
    total += m.minor;
  }
  if (!Number.isSafeInteger(total)) throw new Error(`Sum in ${where} is too large to be exact`);
  return { minor: total, currency };
}

/**
 * round(numerator / denominator) with halves rounded away from zero, on integers.
 * Uses BigInt only when the product would leave the exact range of a double.
 */
export function divRound(numerator: number, denominator: number): number {
  if (denominator === 0) throw new Error('divRound: division by zero');
  if (Number.isSafeInteger(numerator) && Math.abs(numerator) < 2 ** 52) {
    const neg = (numerator < 0) !== (denominator < 0);
    const n = Math.abs(numerator);
    const d = Math.abs(denominator);
    const q = Math.floor(n / d);
    const r = n - q * d;
    const up = 2 * r >= d ? 1 : 0;
    const res = q + up;
    return neg ? -res : res;
  }
  return Number(divRoundBig(BigInt(numerator), BigInt(denominator)));
}

function divRoundBig(n: bigint, d: bigint): bigint {
  const neg = (n < 0n) !== (d < 0n);
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const q = an / ad;
  const r = an - q * ad;
  const res = 2n * r >= ad ? q + 1n : q;
  return neg ? -res : res;
}

/**
 * amount × numerator / denominator, rounded half away from zero, exactly
 * (a rate expressed as a fraction: 600/10000 for 6%).
 */
export function mulDivRound(amount: number, numerator: number, denominator: number): number {
  const p = amount * numerator;
  if (Number.isSafeInteger(p)) return divRound(p, denominator);
  return Number(divRoundBig(BigInt(amount) * BigInt(numerator), BigInt(denominator)));
}

/**
 * Splits `total` minor units over `weights` in proportion, exactly: the parts always add up
 * to `total`. Largest-remainder method; ties go to the earlier index, so callers order
 * their items (by order id, by day) to make the split reproducible.
 *
 * Weights must be non-negative integers with a positive sum. A negative total (a refund of
 * spend) is split as the negation of the positive split.
 */
export function allocateByWeights(total: number, weights: readonly number[]): number[] {
  if (total < 0) return allocateByWeights(-total, weights).map((x) => (x === 0 ? 0 : -x));
  let weightSum = 0;
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) throw new Error(`allocateByWeights: weights must be non-negative integers, got ${w}`);
    weightSum += w;
  }
  if (weightSum <= 0) throw new Error('allocateByWeights: weights must have a positive sum');
  const useBig = !Number.isSafeInteger(total * weightSum);
  const parts: number[] = new Array(weights.length);
  const remainders: { i: number; r: number | bigint }[] = [];
  let assigned = 0;
  for (let i = 0; i < weights.length; i++) {
    let q: number;
    let r: number | bigint;
    if (useBig) {
      const p = BigInt(total) * BigInt(weights[i]);
      q = Number(p / BigInt(weightSum));
      r = p % BigInt(weightSum);
    } else {
      const p = total * weights[i];
      q = Math.floor(p / weightSum);
      r = p - q * weightSum;
    }
    parts[i] = q;
    assigned += q;
    remainders.push({ i, r });
  }
  let left = total - assigned;
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (let k = 0; left > 0; k++, left--) parts[remainders[k].i] += 1;
  return parts;
}
