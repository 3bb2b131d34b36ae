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
 */
import { formatAmount } from './money';
import type { CreatorOrderLine, StatementTransaction, UnsettledEstimate } from './records';

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

/** Notes on affiliate lines: those that came without a commission rate. */
export function creatorDataNotes(lines: readonly CreatorOrderLine[]): string[] {
  const without = lines.filter((l) => l.commissionRateBp === null);
  if (without.length === 0) return [];
  const orders = new Set(without.map((l) => l.orderId));
  return [`${without.length} affiliate line${without.length === 1 ? '' : 's'} (${orders.size} order${orders.size === 1 ? '' : 's'}) came without a commission rate: the rate cell is empty; commission amounts come from TikTok's commission fields, so no figure changes.`];
}
