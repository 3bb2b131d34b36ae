/**
 * One header matcher for every Seller Center export kind: how a header cell is normalized, the
 * one table of regional header aliases, and the column/kind specs the kinds are described with.
 *
 * Normalized form (`normalizeHeader`): case, spacing and punctuation do not count ("Order/adjustment
 * ID" = "order adjustment id"), and a trailing parenthesized qualifier is taken off the name and
 * kept apart:
 * - a time zone, "(UTC)", "(UTC+8)", "(GMT+07:00)": real income exports write
 *   `Order settled time(UTC)` where the documented header is `Order settled time`; the values of
 *   such a column are read in that zone, not in the shop's;
 * - a date pattern, "(DD/MM/YYYY)", "(MM/DD/YYYY)": a header hint for the order of slash dates
 *   (src/imports/dates.ts).
 * A name that itself ends in "(UTC)" (the US statement's `Statement date (UTC)`) is matched the
 * same way, so `Statement date` and `Statement date(UTC)` are the same column.
 */

export const norm = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** A fixed zone a header names: 'UTC', or minutes east of UTC. */
export type HeaderZone = { offsetMinutes: number };

export interface NormalizedHeader {
  /** The name without its qualifier, normalized. */
  name: string;
  zone: HeaderZone | null;
  /** Date order the header states ("DMY" for "(DD/MM/YYYY)"), else null. */
  dateOrder: 'DMY' | 'MDY' | null;
}

const QUALIFIER = /\s*\(([^()]*)\)\s*$/;
const ZONE = /^(?:utc|gmt)\s*(?:([+-])\s*(\d{1,2})(?::?(\d{2}))?)?$/i;

export function normalizeHeader(text: string): NormalizedHeader {
  let rest = (text ?? '').trim();
  let zone: HeaderZone | null = null;
  let dateOrder: NormalizedHeader['dateOrder'] = null;
  // Up to two qualifiers, e.g. "Created Time (DD/MM/YYYY) (UTC+8)".
  for (let i = 0; i < 2; i++) {
    const m = QUALIFIER.exec(rest);
    if (!m) break;
    const q = m[1].trim();
    const z = ZONE.exec(q);
    const d = norm(q);
    if (z && zone === null) {
      const minutes = z[1] ? Number(z[2]) * 60 + Number(z[3] ?? 0) : 0;
      if (minutes > 14 * 60) break;
      zone = { offsetMinutes: z[1] === '-' ? -minutes : minutes };
    } else if (dateOrder === null && /^dd(mm|m)(yyyy|yy)/.test(d)) {
      dateOrder = 'DMY';
    } else if (dateOrder === null && /^(mm|m)dd(yyyy|yy)/.test(d)) {
      dateOrder = 'MDY';
    } else {
      break;
    }
    rest = rest.slice(0, m.index);
  }
  // "Order created time UTC" (no parentheses) is the same column.
  const bare = /\s+(utc)$/i.exec(rest);
  if (bare && zone === null) {
    zone = { offsetMinutes: 0 };
    rest = rest.slice(0, bare.index);
  }
  return { name: norm(rest), zone, dateOrder };
}

/**
 * The one table of header variants: the documented name (the US or SEA one of
 * /work/shared/reference/seller-center-exports.md) → the other names real files use for the same
 * column, with where they were seen. Normalized matching already absorbs case, spacing,
 * punctuation and a trailing "(UTC)"; only real different words are listed here.
 */
export const HEADER_ALIASES: Record<string, readonly string[]> = {
  // Order export
  'Cancelation/Return Type': ['Cancellation/Return Type' /* UK spelling (GB, SEA) */],
  'Variation': ['SKU Name'],
  'Shipping Fee After Discount': ['Shipping Fee'],
  'Taxes': ['Tax'],
  'Created Time': ['Create Time'],
  'RTS Time': ['RTH Time' /* GB order export */],
  'Delivered Time': ['Delivery Time'],
  'Cancelled Time': ['Canceled Time' /* US spelling */, 'Cancel Time'],
  'Cancel By': ['Cancelled By', 'Canceled By'],
  'Fulfillment Type': ['Fulfilment Type' /* GB, SEA */],
  'Buyer Username': ['Buyer User Name', 'Buyer Nickname'],
  // US statement
  'Statement date (UTC)': ['Statement time (UTC)'],
  'Status': ['Payment status'],
  'Order/adjustment ID': ['Order ID/adjustment ID'],
  'Total settlement amount': ['Settlement amount'],
  'Net sales': ['Net sales amount'],
  'Shipping': ['Shipping total', 'Total shipping'],
  'Fees': ['Total fees'],
  'Adjustment amount': ['Ajustment amount' /* [sic], SEA income */],
  // SEA income
  'Order settled time': ['Order settlement time', 'Settled time'],
  'Order created time': ['Order create time', 'Order create date', 'Order created date'],
  'Subtotal before discounts': ['Subtotal before discount'],
  'Seller discounts': ['Seller discount'],
  'Refund subtotal before seller discounts': ['Refund subtotal before discounts'],
  'Refund of seller discounts': ['Seller discount refund'],
  // Fee columns
  'Transaction fee': ['Payment fee' /* ID */],
  'TikTok Shop commission fee': ['Commission fee', 'Platform commission fee' /* ID */],
  // Reserve sheet
  'Reserve ID': ['Reserve transaction ID'],
  'Reserve amount': ['Reserve'],
};

/** The documented name and every alias of it. */
export function namesOf(name: string): string[] {
  return [name, ...(HEADER_ALIASES[name] ?? [])];
}

// ---------------------------------------------------------------- specs

/** Companion sheets are read only next to their main kind (withdrawals with SEA income, reserves with the US statement). */
export type ExportKind = 'orders' | 'statement_us' | 'income_sea' | 'unsettled';
export type SheetKind = ExportKind | 'withdrawals' | 'reserves';

export interface ColSpec {
  key: string;
  /** Accepted header names (first = the documented name, then aliases). */
  names: string[];
  required?: boolean;
  /** Identifies the kind (all signature columns present → this kind). */
  sig?: boolean;
  /** A date/time column: its slash dates take part in the file's date-order decision. */
  time?: boolean;
  /**
   * The header is "Est." / "Estimated" + one of `names` (the unsettled orders export writes
   * TikTok's estimate columns so).
   */
  estimate?: boolean;
  /**
   * What the figures lose when this optional column is absent from the file, in the seller's
   * words ("no new-buyer or repeat-buyer figures for these orders…"): said in the preview.
   * Columns without it change no figure when absent (or another note covers them).
   */
  absent?: string;
}

export interface KindSpec {
  kind: SheetKind;
  label: string;
  /** The column whose cell says a row is a data row (and holds the description-row test). */
  keyColumn: string;
  cols: ColSpec[];
}

export interface ColFlags {
  required?: boolean;
  sig?: boolean;
  time?: boolean;
  estimate?: boolean;
  absent?: string;
}

/** A column by its documented name (its aliases come from HEADER_ALIASES) or by a list of names. */
export const col = (key: string, names: string | string[], flags: ColFlags = {}): ColSpec => ({
  key, names: Array.isArray(names) ? names.flatMap(namesOf) : namesOf(names), ...flags,
});
export const req = { required: true } as const;
export const sig = { required: true, sig: true } as const;

const ESTIMATE_PREFIXES = ['estimated', 'est'];

/** Where each column of `spec` is in `header`, and the zone / date order its header states. */
export interface MatchedColumns {
  index: Map<string, number>;
  zone: Map<string, HeaderZone>;
  dateOrder: Map<string, 'DMY' | 'MDY'>;
}

export function matchColumns(spec: KindSpec, header: string[]): MatchedColumns {
  const byName = new Map<string, { i: number; h: NormalizedHeader }>();
  header.forEach((text, i) => {
    const h = normalizeHeader(text ?? '');
    if (h.name && !byName.has(h.name)) byName.set(h.name, { i, h });
  });
  const out: MatchedColumns = { index: new Map(), zone: new Map(), dateOrder: new Map() };
  for (const c of spec.cols) {
    for (const name of c.names) {
      const n = normalizeHeader(name).name;
      const hit = c.estimate ? ESTIMATE_PREFIXES.map((p) => byName.get(p + n)).find((x) => x !== undefined) : byName.get(n);
      if (hit === undefined) continue;
      out.index.set(c.key, hit.i);
      if (hit.h.zone) out.zone.set(c.key, hit.h.zone);
      if (hit.h.dateOrder) out.dateOrder.set(c.key, hit.h.dateOrder);
      break;
    }
  }
  return out;
}

/** How a column is named in a message: its documented name, with the estimate prefix where it has one. */
export function displayName(c: ColSpec): string {
  const n = c.names[0];
  // "Est. seller shipping fee", but "Est. TikTok Shop commission fee".
  return c.estimate ? `Est. ${/^[A-Z][a-z]/.test(n) ? n[0].toLowerCase() + n.slice(1) : n}` : n;
}

/** The zone a column's documented name states ("Statement date (UTC)"): its values are read there even when a file's header leaves it out. */
export function specZone(c: ColSpec): HeaderZone | null {
  return normalizeHeader(c.names[0]).zone;
}

export const quoteList = (names: string[]): string => names.map((n) => `"${n}"`).join(', ');
