/**
 * Errors about data the add-on was given (an API payload, a pasted file, a user tab).
 *
 * A finance user must be able to find and fix the cell or record at fault, so every
 * error names where it is (the record kind and its id or row), the field, what was
 * expected and what was found. Nothing is ever coerced to NaN or 0 to keep going.
 */
export interface DataErrorLocation {
  /** What kind of record or input: "order", "statement transaction", "COGS row", "Settings". */
  record: string;
  /** The record's key (order id, statement id) or a row number, when known. */
  id?: string;
  /** Field name, as the input names it. */
  field: string;
  /** What the field should hold, in plain words. */
  expected: string;
  /** What it held. */
  got?: unknown;
}

export class DataError extends Error {
  readonly location: DataErrorLocation;
  constructor(location: DataErrorLocation) {
    super(describeDataError(location));
    this.name = 'DataError';
    this.location = location;
  }
}

/** Refusal to add amounts of two currencies together. */
export class CurrencyMismatchError extends Error {
  constructor(readonly expected: string, readonly got: string, readonly where: string) {
    super(`Cannot combine ${got} with ${expected} in ${where}: one shop, one currency. Report each currency separately.`);
    this.name = 'CurrencyMismatchError';
  }
}

function describeDataError(l: DataErrorLocation): string {
  const at = l.id !== undefined && l.id !== '' ? `${l.record} ${l.id}` : l.record;
  const got = 'got' in l ? `, got ${showValue(l.got)}` : '';
  return `${at}: field "${l.field}" expected ${l.expected}${got}`;
}

export function showValue(v: unknown): string {
  if (v === undefined) return 'nothing (missing)';
  if (v === null) return 'null';
  if (typeof v === 'string') return v === '' ? 'an empty text' : JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  try {
    const s = JSON.stringify(v);
    return s.length > 60 ? s.slice(0, 57) + '...' : s;
  } catch {
    return typeof v;
  }
}
