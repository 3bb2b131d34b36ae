/**
 * Custom functions for analysts' own models (`=TIKTOK_CM(...)`, `=TIKTOK_BREAKEVEN_ROAS(...)`).
 *
 * Pure: no Apps Script service is touched, so they run unchanged in the bundle, in Node tests
 * and in the local runtime. Sheets hands each argument over either as a single value (a number,
 * a text, a boolean, a Date, or '' for a blank cell) or, for a range, as a 2-D array of such
 * values. Ranges combine element by element; a single value applies to every cell.
 *
 * Money is summed in integer minor units (cents) parsed by `parseAmount`, so
 * `=TIKTOK_CM(0.3, 0.1, 0.2, 0, 0, 0)` is exactly 0, not -2.8e-17 as in float arithmetic.
 */
import { DataError, showValue } from '../core/errors';
import { fromRateCard } from '../core/estimate';
import { isKnownCurrency, minorUnits, parseAmount, toMajor } from '../core/money';
import { parseSettings, type RateCard } from '../core/settings';
import { regionDefaults } from './connection';

/** What Sheets passes for one cell. */
export type CellValue = number | string | boolean | Date | null | undefined;
/** What Sheets passes for one argument: a single cell's value or a range of them. */
export type CellInput = CellValue | CellValue[][];
/** What a custom function returns: '' renders as a blank cell. */
export type CellResult = number | '';
export type CustomFunctionResult = CellResult | CellResult[][];

interface NamedArgument {
  name: string;
  value: CellInput;
}

/** Where in the (broadcast) ranges a cell sits, for error messages: "row 3" or "row 3, column 2". */
interface Position {
  label: string;
}

interface Shape {
  rows: number;
  columns: number;
  /** The argument that set the shape; named when another range does not fit it. */
  from: string;
}

const DEFAULT_CURRENCY = 'USD';

/**
 * Contribution margin = revenue − cogs − platform_fees − shipping − commission − marketing,
 * exact to the minor unit of `currency`. Costs are positive numbers that are subtracted.
 *
 * A row with any blank cell gives a blank result: a half-filled row in a model must not show a
 * margin that silently treats the missing cost as 0. Every non-blank cell is still checked first,
 * so a bad value is reported even when its row also has a blank.
 */
export function contributionMargin(
  revenue: CellInput,
  cogs: CellInput,
  platformFees: CellInput,
  shipping: CellInput,
  commission: CellInput,
  marketing: CellInput,
  currency?: CellInput,
): CustomFunctionResult {
  const fn = 'TIKTOK_CM';
  const code = currencyArgument(fn, currency);
  // Argument names as the formula's help card shows them, so messages match what the user sees.
  const parts: NamedArgument[] = [
    { name: 'revenue', value: revenue },
    { name: 'cogs', value: cogs },
    { name: 'platform_fees', value: platformFees },
    { name: 'shipping', value: shipping },
    { name: 'commission', value: commission },
    { name: 'marketing', value: marketing },
  ];
  return elementWise(fn, parts, (cells, at) => {
    let blank = false;
    let marginMinor = 0;
    cells.forEach((cell, i) => {
      const minor = amountCell(fn, parts[i].name, cell, code, at);
      if (minor === null) blank = true;
      else marginMinor += i === 0 ? minor : -minor;
    });
    if (blank) return '';
    if (!Number.isSafeInteger(marginMinor)) {
      throw new Error(`${fn}${where(at)}: the result is too large to be exact in ${code}`);
    }
    return toMajor(marginMinor, code);
  });
}

/**
 * Break-even ROAS = 1 / CM2 margin rate: the revenue per unit of ad spend at which the ads eat
 * the whole contribution margin before advertising. A ratio, not money, so plain division.
 */
export function breakevenRoas(cm2MarginRate: CellInput): CustomFunctionResult {
  const fn = 'TIKTOK_BREAKEVEN_ROAS';
  const name = 'cm2_margin_rate';
  return elementWise(fn, [{ name, value: cm2MarginRate }], ([rate], at) => {
    if (isBlank(rate)) return '';
    // A 25% cell reaches us as 0.25. 0 would mean no ads are ever affordable (infinite ROAS);
    // above 1 is not a margin rate, most often a percentage typed as 25 instead of 25%.
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0 || rate > 1) {
      throw new Error(
        `${fn}: argument "${name}"${where(at)}: expected a margin rate above 0 and at most 1 (e.g. 0.25 or 25%), got ${describeCell(rate)}`,
      );
    }
    return 1 / rate;
  });
}

/**
 * The rate cards TIKTOK_FEE_ESTIMATE knows by region: the Settings tab's defaults, which are
 * profit-model.md's US figures (unconfirmed, like every rate card). Other regions take their
 * rates as arguments.
 */
const REGION_RATE_CARDS: Readonly<Record<string, () => RateCard>> = {
  US: () => parseSettings({ currency: 'USD', timezone: 'America/Los_Angeles' }).rateCard,
};

/**
 * Platform fee estimate for one sale from the rate card, as the engine estimates an order that
 * has neither a statement nor a TikTok estimate (`fromRateCard`): referral fee + transaction fee
 * on the fee base, each rounded to the minor unit. `region` picks the currency (and, for "US",
 * the default rates); a rate argument overrides the region's.
 */
export function feeEstimate(price: CellInput, region: CellInput, referralFeeRate?: CellInput, transactionFeeRate?: CellInput): CustomFunctionResult {
  const fn = 'TIKTOK_FEE_ESTIMATE';
  const parts: NamedArgument[] = [
    { name: 'price', value: price },
    { name: 'region', value: region },
    { name: 'referral_fee_rate', value: referralFeeRate === undefined ? '' : referralFeeRate },
    { name: 'transaction_fee_rate', value: transactionFeeRate === undefined ? '' : transactionFeeRate },
  ];
  return elementWise(fn, parts, ([p, r, referral, transaction], at) => {
    const code = typeof r === 'string' ? r.trim().toUpperCase() : '';
    let currency: string;
    try {
      currency = regionDefaults(code).currency;
    } catch {
      throw new Error(`${fn}: argument "region"${where(at)}: expected a TikTok Shop region code such as "US", "GB" or "JP", got ${describeCell(r)}`);
    }
    const card = REGION_RATE_CARDS[code]?.();
    const referralBp = basisPoints(fn, 'referral_fee_rate', referral, at, card ? card.referralFeeBp : null, code);
    const transactionBp = basisPoints(fn, 'transaction_fee_rate', transaction, at, card ? card.transactionFeeBp : 0, code);
    const base = amountCell(fn, 'price', p, currency, at);
    if (base === null) return '';
    if (base < 0) throw new Error(`${fn}: argument "price"${where(at)}: expected an amount of 0 or more, got ${describeCell(p)}`);
    const rateCard: RateCard = {
      referralFeeBp: referralBp, transactionFeeBp: transactionBp, serviceFeeBp: 0, refundAdminShareBp: 0, refundAdminCapPerSku: 0, shippingCostPerOrder: 0,
    };
    const fees = fromRateCard(rateCard, { base, refunds: 0, refundLines: [] });
    return toMajor(fees.referralFee + fees.transactionFee + fees.serviceFees, currency);
  });
}

/** A rate cell (0.06 or 6%) as basis points; blank = `fallback` (null: required for this region). */
function basisPoints(fn: string, name: string, cell: CellValue, at: Position | null, fallback: number | null, region: string): number {
  if (isBlank(cell)) {
    if (fallback !== null) return fallback;
    throw new Error(`${fn}: argument "${name}"${where(at)}: expected a rate such as 0.06 or 6% (no built-in rate card for region "${region}"; only ${Object.keys(REGION_RATE_CARDS).join(', ')})`);
  }
  const bp = typeof cell === 'number' && Number.isFinite(cell) ? cell * 10000 : NaN;
  const rounded = Math.round(bp);
  if (!(cell as number >= 0 && (cell as number) < 1) || Math.abs(bp - rounded) > 1e-6) {
    throw new Error(`${fn}: argument "${name}"${where(at)}: expected a rate from 0 up to (not including) 1 with at most two decimals of a percent, such as 0.06 or 6.25%, got ${describeCell(cell)}`);
  }
  return rounded;
}

/** A share cell (a number from `min` to `max`), for the ratio helpers. */
function rateCell(fn: string, name: string, cell: CellValue, at: Position | null, what: string, ok: (x: number) => boolean): number | null {
  if (isBlank(cell)) return null;
  if (typeof cell !== 'number' || !Number.isFinite(cell) || !ok(cell)) {
    throw new Error(`${fn}: argument "${name}"${where(at)}: expected ${what}, got ${describeCell(cell)}`);
  }
  return cell;
}

/** round(x) with halves away from zero, after dropping float noise past 12 significant digits. */
function roundHalfAway(x: number): number {
  const clean = Number(x.toPrecision(12));
  const r = Math.sign(clean) * Math.round(Math.abs(clean));
  return r === 0 ? 0 : r;
}

/**
 * Affordable acquisition (marketing) cost per order for a target margin:
 * revenue × (cm2_margin_rate − target_cm3_rate), rounded to the minor unit. CM3 = CM2 − marketing,
 * so spending this keeps CM3 at the target share of revenue. Negative: the target is above CM2,
 * and no spend is affordable.
 */
export function affordableCac(revenue: CellInput, cm2MarginRate: CellInput, targetCm3Rate: CellInput, currency?: CellInput): CustomFunctionResult {
  const fn = 'TIKTOK_AFFORDABLE_CAC';
  const code = currencyArgument(fn, currency);
  const parts: NamedArgument[] = [
    { name: 'revenue', value: revenue },
    { name: 'cm2_margin_rate', value: cm2MarginRate },
    { name: 'target_cm3_rate', value: targetCm3Rate },
  ];
  return elementWise(fn, parts, ([rev, cm2, target], at) => {
    const minor = amountCell(fn, 'revenue', rev, code, at);
    const c = rateCell(fn, 'cm2_margin_rate', cm2, at, 'a margin rate from -1 to 1 (e.g. 0.35 or 35%)', (x) => x >= -1 && x <= 1);
    const t = rateCell(fn, 'target_cm3_rate', target, at, 'a target margin rate from -1 to 1 (e.g. 0.15 or 15%)', (x) => x >= -1 && x <= 1);
    if (minor === null || c === null || t === null) return '';
    return toMajor(roundHalfAway(minor * c - minor * t), code);
  });
}

/**
 * What selling through a creator really costs as a share of net revenue, from its parts as
 * shares of GMV: commission and platform fees are charged on what is kept (refunds reverse them),
 * shipping and other costs (samples, flat fees) are paid on every order, so
 * total = commission_rate + platform_fee_rate + (shipping_share + other_share) / (1 − return_rate).
 */
export function creatorCostShare(commissionRate: CellInput, platformFeeRate: CellInput, shippingShare: CellInput, returnRate: CellInput, otherShare?: CellInput): CustomFunctionResult {
  const fn = 'TIKTOK_CREATOR_COST_SHARE';
  const parts: NamedArgument[] = [
    { name: 'commission_rate', value: commissionRate },
    { name: 'platform_fee_rate', value: platformFeeRate },
    { name: 'shipping_share', value: shippingShare },
    { name: 'return_rate', value: returnRate },
    { name: 'other_share', value: otherShare === undefined ? 0 : otherShare },
  ];
  const share = (x: number) => x >= 0 && x <= 1;
  return elementWise(fn, parts, ([c, f, s, r, o], at) => {
    const values = [
      rateCell(fn, 'commission_rate', c, at, 'a commission rate from 0 to 1 (e.g. 0.15 or 15%)', share),
      rateCell(fn, 'platform_fee_rate', f, at, 'a fee rate from 0 to 1 (e.g. 0.06 or 6%)', share),
      rateCell(fn, 'shipping_share', s, at, 'shipping as a share of GMV from 0 to 1 (e.g. 0.05 or 5%)', share),
      rateCell(fn, 'return_rate', r, at, 'a return rate from 0 up to (not including) 1 (e.g. 0.1 or 10%)', (x) => x >= 0 && x < 1),
      rateCell(fn, 'other_share', o, at, 'other costs as a share of GMV from 0 to 1 (e.g. 0.02 or 2%)', share),
    ];
    if (values.some((v) => v === null)) return '';
    const [cv, fv, sv, rv, ov] = values as number[];
    return cv + fv + (sv + ov) / (1 - rv);
  });
}

/**
 * Applies `compute` cell by cell. Single values (and 1×1 ranges, which is how a single-cell
 * range can arrive from an array literal) apply to every cell; all other ranges must share one
 * shape. The result is a 2-D array when any argument was a range, a single value otherwise.
 */
function elementWise(
  fn: string,
  args: NamedArgument[],
  compute: (cells: CellValue[], at: Position | null) => CellResult,
): CustomFunctionResult {
  for (const arg of args) {
    if (arg.value === undefined) {
      throw new Error(`${fn}: argument "${arg.name}" is missing; pass 0 if there is none`);
    }
  }
  const shape = rangeShape(fn, args);
  if (shape === null) return compute(args.map((a) => a.value as CellValue), null);

  const result: CellResult[][] = [];
  for (let r = 0; r < shape.rows; r++) {
    const row: CellResult[] = [];
    for (let c = 0; c < shape.columns; c++) {
      const at: Position = { label: shape.columns > 1 ? `row ${r + 1}, column ${c + 1}` : `row ${r + 1}` };
      row.push(compute(args.map((a) => cellAt(a.value, r, c)), at));
    }
    result.push(row);
  }
  return result;
}

/** The common shape of the range arguments, or null when every argument is a single value. */
function rangeShape(fn: string, args: NamedArgument[]): Shape | null {
  let shape: Shape | null = null;
  for (const arg of args) {
    if (!Array.isArray(arg.value)) continue;
    const own = shapeOf(fn, arg);
    if (own.rows === 1 && own.columns === 1) continue;
    if (shape === null) shape = own;
    else if (shape.rows !== own.rows || shape.columns !== own.columns) {
      throw new Error(
        `${fn}: argument "${arg.name}" is ${describeShape(own)} but argument "${shape.from}" is ${describeShape(shape)}; ranges must be the same size`,
      );
    }
  }
  if (shape !== null) return shape;
  // Only 1×1 ranges: still answer with a range, as Sheets would for an array formula.
  return args.some((a) => Array.isArray(a.value)) ? { rows: 1, columns: 1, from: '' } : null;
}

function shapeOf(fn: string, arg: NamedArgument): Shape {
  const rows = arg.value as unknown[];
  const first = rows[0];
  if (rows.length === 0 || !Array.isArray(first) || first.length === 0) {
    throw new Error(`${fn}: argument "${arg.name}" is an empty range`);
  }
  for (const row of rows) {
    if (!Array.isArray(row) || row.length !== first.length) {
      throw new Error(`${fn}: argument "${arg.name}" is not a rectangular range`);
    }
  }
  return { rows: rows.length, columns: first.length, from: arg.name };
}

function cellAt(value: CellInput, row: number, column: number): CellValue {
  if (!Array.isArray(value)) return value;
  // A 1×1 range applies everywhere, like a single value.
  if (value.length === 1 && value[0].length === 1) return value[0][0];
  return value[row][column];
}

/** A blank cell arrives as ''; null never comes from Sheets but means the same when it does. */
function isBlank(cell: CellValue): boolean {
  return cell === '' || cell === null;
}

/**
 * One cell as integer minor units, or null when blank. Only numbers are accepted: a text that
 * looks like a number is a number stored as text, which Sheets' own SUM would silently skip.
 */
function amountCell(fn: string, arg: string, cell: CellValue, currency: string, at: Position | null): number | null {
  if (isBlank(cell)) return null;
  const prefix = `${fn}: argument "${arg}"${where(at)}`;
  if (typeof cell !== 'number') {
    const hint =
      typeof cell === 'string' && /^\s*[+-]?\d+(\.\d+)?\s*$/.test(cell)
        ? ' (a number stored as text: convert it with VALUE() or Format > Number)'
        : '';
    throw new Error(`${prefix}: expected an amount in ${currency}, got ${describeCell(cell)}${hint}`);
  }
  try {
    return parseAmount(cell, currency, { record: 'argument', field: arg, id: at ? at.label : undefined });
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    // parseAmount refuses 12.345 USD or 10.5 JPY rather than rounding; say how to fix the model.
    const rounding = /decimal place/.test(err.location.expected)
      ? `; round it first, e.g. ROUND(x, ${minorUnits(currency)})`
      : '';
    throw new Error(`${prefix}: expected ${err.location.expected}, got ${showValue(err.location.got)}${rounding}`);
  }
}

function currencyArgument(fn: string, currency: CellInput): string {
  if (currency === undefined || isBlank(currency as CellValue)) return DEFAULT_CURRENCY;
  const code = typeof currency === 'string' ? currency.trim().toUpperCase() : '';
  if (!isKnownCurrency(code)) {
    throw new Error(`${fn}: argument "currency": expected an ISO 4217 code such as "USD" or "JPY", got ${describeCell(currency)}`);
  }
  return code;
}

function where(at: Position | null): string {
  return at === null ? '' : `, ${at.label}`;
}

function describeCell(value: unknown): string {
  if (value instanceof Date || Object.prototype.toString.call(value) === '[object Date]') return 'a date';
  if (Array.isArray(value)) return 'a range';
  return showValue(value);
}

function describeShape(shape: Shape): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(shape.rows, 'row')} × ${plural(shape.columns, 'column')}`;
}
