/**
 * Data notes: what the seller must know about the data itself, read from the records, so the same
 * note shows whichever way the records came (API refresh or Seller Center import) and whenever the
 * reports are rebuilt from the tabs. A note never changes a figure; it says where a figure rests on
 * something the add-on kept without being able to classify or read it fully.
 *
 * - Fee fields no table classifies (StatementTransaction / UnsettledEstimate `unclassifiedFees`):
 *   their money is counted as other platform fees; the note names each field and how much it carried.
 * - Affiliate lines without a commission rate (CreatorOrderLine `commissionRateBp` null): the rate
 *   is shown only; commission amounts come from the money fields.
 * - Statuses outside the documented lists (returns, affiliate lines), kept as TikTok sent them;
 *   orders, kept with the status their own times show (Order `statusSent`).
 */

/** "FOO: 2, BAR: 1" for the values of `values` outside `known`, most frequent first; '' when none. */
function unknownValues(values: readonly string[], known: readonly string[]): { text: string; count: number } {
  const counts = new Map<string, number>();
  for (const v of values) if (!known.includes(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
  const list = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return { text: list.map(([v, n]) => `${v}: ${n}`).join(', '), count: list.reduce((a, [, n]) => a + n, 0) };
}

/** Notes on orders: those that came with a status the add-on does not know. */
export function orderDataNotes(orders: readonly Order[]): string[] {
  const u = unknownValues(orders.flatMap((o) => (o.statusSent !== undefined ? [o.statusSent] : [])), []);
  if (u.count === 0) return [];
  return [`${u.count} order${u.count === 1 ? ' came with a status' : 's came with statuses'} the add-on does not know (${u.text}): kept, each counted by what its own times show (cancelled, unpaid, or paid), as the Status column says; the status as sent is in the Orders tab's "Status as sent" column.`];
}

/** Notes on returns: those whose status the add-on does not know. */
export function returnDataNotes(returns: readonly Return[]): string[] {
  const u = unknownValues(returns.map((r) => r.status), RETURN_STATUSES);
  if (u.count === 0) return [];
  return [`${u.count} return${u.count === 1 ? ' has a status' : 's have statuses'} the add-on does not know (${u.text}): kept on the Returns tab, not counted as refunded until TikTok reports ${u.count === 1 ? 'it' : 'them'} RETURN_OR_REFUND_REQUEST_COMPLETE.`];
}
import { formatAmount } from './money';
import {
  AFFILIATE_ORDER_STATUSES, RETURN_STATUSES, type CreatorOrderLine, type Order, type Return, type StatementTransaction, type UnsettledEstimate,
} from './records';

interface FieldTotal {
  amount: number;
  records: number;
}

function totalsOf(records: readonly Pick<StatementTransaction, 'unclassifiedFees'>[]): Map<string, FieldTotal> {
  const out = new Map<string, FieldTotal>();
  for (const r of records) {
    for (const [field, amount] of Object.entries(r.unclassifiedFees ?? {})) {
      const t = out.get(field) ?? { amount: 0, records: 0 };
      t.amount += amount;
      t.records += 1;
      out.set(field, t);
    }
  }
  return out;
}

function fieldList(totals: Map<string, FieldTotal>, currency: string, noun: string): string {
  return [...totals.keys()].sort().map((f) => {
    const t = totals.get(f)!;
    return `${f} ${formatAmount(t.amount, currency)} ${currency} in ${t.records} ${noun}${t.records === 1 ? '' : 's'}`;
  }).join('; ');
}

/** Notes on statement transactions and estimates: the fee fields no table classifies, with their money. */
export function settlementDataNotes(
  transactions: readonly StatementTransaction[],
  currency: string,
  estimates: readonly UnsettledEstimate[] = [],
): string[] {
  const notes: string[] = [];
  const settled = totalsOf(transactions);
  if (settled.size > 0) {
    notes.push(`Fee fields not yet classified, counted as other platform fees (fees not itemised): ${fieldList(settled, currency, 'transaction')}. Settlements tab, column "Unclassified fee fields".`);
  }
  const estimated = totalsOf(estimates);
  if (estimated.size > 0) {
    notes.push(`Estimated fee fields not yet classified, counted as other platform fees: ${fieldList(estimated, currency, 'estimate')}. Unsettled estimates tab, column "Unclassified fee fields".`);
  }
  return notes;
}

/** Notes on affiliate lines: those without a commission rate, and statuses the add-on does not know. */
export function creatorDataNotes(lines: readonly CreatorOrderLine[]): string[] {
  const notes: string[] = [];
  const without = lines.filter((l) => l.commissionRateBp === null);
  if (without.length > 0) {
    const orders = new Set(without.map((l) => l.orderId));
    notes.push(`${without.length} affiliate line${without.length === 1 ? '' : 's'} (${orders.size} order${orders.size === 1 ? '' : 's'}) came without a commission rate: the rate cell is empty; commission amounts come from TikTok's commission fields, so no figure changes.`);
  }
  const u = unknownValues(lines.map((l) => l.status), AFFILIATE_ORDER_STATUSES);
  if (u.count > 0) notes.push(`${u.count} affiliate line${u.count === 1 ? ' has a status' : 's have statuses'} the add-on does not know (${u.text}): kept as sent on the Creator orders tab; no figure reads the status.`);
  return notes;
}
