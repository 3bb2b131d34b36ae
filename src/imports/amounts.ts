/**
 * Amount cells of Seller Center exports → exact minor units of the shop currency.
 *
 * Accepted: "12.34", "-12.34", "1,234.56" (comma thousands groups), "$12.34", "-$12.34",
 * "$-12.34", "(12.34)" (negative), "12.34 USD"; parsed exactly by core parseAmount in the shop
 * currency. Only the shop currency's own symbols/codes are accepted (USD: $, US$, USD; PHP: ₱,
 * PHP…, see CURRENCY_SYMBOLS); a symbol of another currency is an error naming it. A decimal
 * comma ("12,34") and dot thousands ("1.234.567") are NOT accepted (ambiguous). More decimals
 * than the currency has are an error (never rounded).
 */
import { parseAmount } from '../core/money';
import { DataError } from '../core/errors';

/** Symbols and codes written next to amounts, by currency. Codes are matched case-insensitively. */
export const CURRENCY_SYMBOLS: Record<string, string[]> = {
  USD: ['$', 'US$', 'USD'], GBP: ['£', 'GBP'], EUR: ['€', 'EUR'], CAD: ['$', 'CA$', 'C$', 'CAD'], AUD: ['$', 'A$', 'AU$', 'AUD'],
  MXN: ['$', 'MX$', 'MXN'], BRL: ['R$', 'BRL'], SGD: ['$', 'S$', 'SGD'], MYR: ['RM', 'MYR'], THB: ['฿', 'THB'], PHP: ['₱', 'PHP'],
  IDR: ['RP', 'IDR'], VND: ['₫', 'Đ', 'VND'], JPY: ['¥', '￥', 'JPY'], KRW: ['₩', 'KRW'], CNY: ['¥', 'CN¥', 'RMB', 'CNY'],
  HKD: ['HK$', '$', 'HKD'], TWD: ['NT$', '$', 'TWD'], SAR: ['SAR'], AED: ['AED'], PLN: ['ZŁ', 'PLN'], CZK: ['KČ', 'CZK'],
  HUF: ['FT', 'HUF'], SEK: ['KR', 'SEK'], DKK: ['KR', 'DKK'], NOK: ['KR', 'NOK'], CHF: ['CHF'], CLP: ['$', 'CLP'],
};
const SYMBOL_OWNERS = new Map<string, string[]>();
for (const [cur, syms] of Object.entries(CURRENCY_SYMBOLS)) {
  for (const s of syms) SYMBOL_OWNERS.set(s.toUpperCase(), [...(SYMBOL_OWNERS.get(s.toUpperCase()) ?? []), cur]);
}

const NUMBER_PART = /^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$/;

/** Parses an amount cell (see the formats above); `fail(expected)` throws. */
export function parseMoneyCell(text: string, currency: string, fail: (expected: string) => never): number {
  let s = text.trim();
  let negative = false;
  const paren = /^\((.*)\)$/.exec(s);
  if (paren) {
    s = paren[1].trim();
    negative = true;
  }
  const m = /^([+-]?)\s*([^\d\s.,+-]*)\s*([+-]?)\s*([\d.,]+)\s*([^\d\s.,+-]*)$/u.exec(s);
  const plain = `an amount in ${currency} like "12.34", "1,234.56" or "${(CURRENCY_SYMBOLS[currency] ?? [currency])[0]}12.34"`;
  if (!m) return fail(plain);
  const [, sign1, prefix, sign2, num, suffix] = m;
  if (sign1 && sign2) return fail(plain);
  for (const sym of [prefix, suffix]) {
    if (!sym) continue;
    const up = sym.toUpperCase();
    const allowed = (CURRENCY_SYMBOLS[currency] ?? [currency]).map((x) => x.toUpperCase());
    if (allowed.includes(up)) continue;
    const owners = SYMBOL_OWNERS.get(up);
    if (owners) return fail(`an amount in the shop currency ${currency} (${sym} is the symbol of ${owners.join('/')})`);
    return fail(plain);
  }
  if (prefix && suffix) return fail(plain);
  const nm = NUMBER_PART.exec(num);
  if (!nm) return fail(plain);
  if (negative && (sign1 || sign2)) return fail(plain);
  const decimal = nm[1].replace(/,/g, '') + (nm[2] ?? '');
  const minus = negative || sign1 === '-' || sign2 === '-';
  try {
    return parseAmount((minus ? '-' : '') + decimal, currency, { record: 'cell', field: 'amount' });
  } catch (e) {
    if (e instanceof DataError) return fail(e.location.expected);
    throw e;
  }
}
