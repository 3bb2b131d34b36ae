/**
 * Round trip: a generated US shop → Seller Center export files (dev/exports/seller-center.ts,
 * CSV and xlsx) → readExportFile → importExport → records, compared with the generator's records
 * (field by field, as test/integration/harness.ts does for the API) and through the engine and
 * reports with the API path.
 */
import { generateShop } from '../../dev/generator/shop';
import { exportOrders, exportStatement, cancelRoleText, US_FEE_COLUMNS } from '../../dev/exports/seller-center';
import { readExportFile } from '../../src/imports/files';
import { importExport, type ImportResult } from '../../src/imports/exports';
import { diffRecords } from '../integration/harness';
import { computeMargins } from '../../src/core/margin';
import { allReports } from '../../src/core/reports';
import type { FeeField, ShopData, StatementTransaction } from '../../src/core/records';
import { startOfDay } from '../../src/core/time';

jest.setTimeout(120_000);

const shop = generateShop({ seed: 3, days: 20, ordersPerDay: 40, unitLines: false });
const gen = shop.data;
const info = { currency: shop.meta.currency, timezone: shop.meta.timezone };

/**
 * Fields a US Seller Center export cannot carry, left out of the comparison — each with why.
 * Keys that differ by construction (lineId, cancelId, transactionId) are not excluded: the
 * generator's records are re-keyed the way the importer keys them (see `expected`).
 */
const EXCLUDED: Record<string, Record<string, string>> = {
  orders: {
    updateTime: 'the order export has no update time; the importer takes the latest of the times it has (Created … Cancelled), the generator\'s is the last status change (e.g. completion)',
    sampleCreator: 'the order export does not name the creator of a sample (importer: null; the API path loses it too)',
  },
  lines: {
    productId: 'the US order export has no Product ID column; the importer falls back to the SKU ID',
  },
  cancellations: {
    createTime: 'the order export has one order-level "Cancelled Time" (= the cancellation\'s update time when the order is cancelled, blank when only a line is); the request time is not in the file',
    updateTime: 'blank "Cancelled Time" for a line-only cancellation (order not CANCELLED): the importer uses the order\'s derived update time',
  },
  transactions: {
    reserveAmount: 'reserves are on the "Reserve Details" sheet, which the importer ignores (exports.ts importStatementUs: reserveAmount = 0)',
  },
};

/** Transforms of the generator's records to what the export can say (applied in `expected`). */
const TRANSFORMED = {
  lineId: 'importer key `{orderId}-{skuId}` (`-2`… for a repeated SKU) instead of TikTok\'s line id',
  cancelId: 'importer key `{orderId}-cancel`; lineIds re-keyed as lines',
  role: 'Seller Center writes "Seller"/"Buyer"/"System"; the importer keeps the text (API: SELLER/BUYER/SYSTEM)',
  transactionId: 'importer key `{statement}:{TYPE}:{order}:{adjustment}` (`#n` for repeats) — the export has no transaction id',
  fees: 'fee fields with no US statement column (e.g. sfp_service_fee_amount, vat_amount, cofunded_creator_bonus_amount) are not in the file; their money stays in "Fees" (feeTaxAmount)',
};

function lineKeyMap(data: ShopData): Map<string, string> {
  const out = new Map<string, string>();
  const n = new Map<string, number>();
  for (const l of data.lines) {
    const base = `${l.orderId}-${l.skuId}`;
    const k = (n.get(base) ?? 0) + 1;
    n.set(base, k);
    out.set(l.lineId, k === 1 ? base : `${base}-${k}`);
  }
  return out;
}
const LINE_KEY = lineKeyMap(gen);

function txKey(seen: Map<string, number>, t: StatementTransaction): string {
  let id = `${t.statementId}:${t.type}:${t.orderId ?? ''}:${t.adjustmentId ?? ''}${t.skuId ? `:${t.skuId}` : ''}`;
  const n = (seen.get(id) ?? 0) + 1;
  seen.set(id, n);
  if (n > 1) id += `#${n}`;
  return id;
}

/** The generator's records as the export can carry them, keyed as the importer keys them. */
function expected(data: ShopData): Partial<ShopData> {
  const seen = new Map<string, number>();
  return {
    orders: data.orders,
    lines: data.lines.map((l) => ({ ...l, lineId: LINE_KEY.get(l.lineId)! })),
    cancellations: data.cancellations.map((c) => ({
      ...c, cancelId: `${c.orderId}-cancel`, role: cancelRoleText(c.role), lineIds: c.lineIds.map((id) => LINE_KEY.get(id)!),
    })),
    statements: data.statements,
    transactions: data.transactions.map((t) => ({
      ...t,
      transactionId: txKey(seen, t),
      fees: Object.fromEntries(Object.entries(t.fees).filter(([f]) => f in US_FEE_COLUMNS)) as Partial<Record<FeeField, number>>,
    })),
  };
}

function importBytes(name: string, bytes: Uint8Array): ImportResult {
  return importExport(name, readExportFile(name, bytes).sheets, info);
}

function merge(...results: ImportResult[]): Partial<ShopData> {
  const out: Partial<ShopData> = {};
  for (const r of results) {
    for (const [k, v] of Object.entries(r.data) as [keyof ShopData, unknown[]][]) {
      (out as Record<string, unknown[]>)[k] = [...((out as Record<string, unknown[]>)[k] ?? []), ...v];
    }
  }
  return out;
}

const KINDS = ['orders', 'lines', 'cancellations', 'statements', 'transactions'] as const;

const imported: Record<'csv' | 'xlsx', Partial<ShopData>> = { csv: {}, xlsx: {} };
const results: Record<string, ImportResult> = {};

beforeAll(async () => {
  for (const format of ['csv', 'xlsx'] as const) {
    const o = importBytes(`OrderSKUList.${format}`, await exportOrders(shop, { format, descriptionRow: format === 'csv' }));
    const s = importBytes(`statement.${format}`, await exportStatement(shop, { format }));
    results[`orders.${format}`] = o;
    results[`statement.${format}`] = s;
    imported[format] = merge(o, s);
  }
});

describe.each(['csv', 'xlsx'] as const)('round trip through %s', (format) => {
  it('detects the kinds and reads every row', () => {
    expect(results[`orders.${format}`].kind).toBe('orders');
    expect(results[`orders.${format}`].rows).toBe(gen.lines.length);
    expect(results[`statement.${format}`].kind).toBe('statement_us');
    expect(results[`statement.${format}`].rows).toBe(gen.transactions.length);
  });

  it('gives the generator\'s orders, lines, cancellations, statements and transactions, up to what the export cannot carry', () => {
    expect(diffRecords(imported[format], expected(gen), KINDS, EXCLUDED)).toEqual([]);
  });

  it('loses exactly the documented fields (the exclusions are not hiding anything else)', () => {
    const diffs = diffRecords(imported[format], expected(gen), KINDS, {});
    const fields = new Set(diffs.map((d) => {
      const m = /^(\w+) \S+: (\w+):/.exec(d);
      return m ? `${m[1]}.${m[2]}` : d;
    }));
    const excluded = Object.entries(EXCLUDED).flatMap(([k, fs]) => Object.keys(fs).map((f) => `${k}.${f}`));
    for (const f of fields) expect(excluded).toContain(f);
    // Reserve amounts: exactly the generator's RESERVE rows come back with 0.
    const reserveDiffs = diffs.filter((d) => / reserveAmount: /.test(d));
    expect(reserveDiffs.length).toBe(gen.transactions.filter((t) => t.reserveAmount !== 0).length);
    // Sample orders are recognised (every line at an original price of 0): no isSample difference.
    expect(gen.orders.filter((o) => o.isSample).length).toBeGreaterThan(3);
    expect(diffs.filter((d) => / isSample: /.test(d))).toEqual([]);
  });
});

// ---------------------------------------------------------------- reports vs the API path

/** The generator's records as the API path gives them (test/integration/harness.ts EXCLUDED_FIELDS). */
function apiData(): ShopData {
  return {
    ...gen,
    orders: gen.orders.map((o) => ({ ...o, sampleCreator: null })),
    statements: gen.statements.map((s) => ({ ...s, revenueAmount: 0 })),
    transactions: gen.transactions.map((t) => ({ ...t, skuId: null })),
  };
}

/** Imported records + everything these files do not hold, from the generator (returns re-keyed to the imported line ids). */
function importedData(format: 'csv' | 'xlsx'): ShopData {
  const i = imported[format];
  return {
    ...gen,
    orders: i.orders!, lines: i.lines!, cancellations: i.cancellations!, statements: i.statements!, transactions: i.transactions!,
    returns: gen.returns.map((r) => ({ ...r, lines: r.lines.map((l) => ({ ...l, lineId: l.lineId === null ? null : LINE_KEY.get(l.lineId)! })) })),
  };
}

function reports(data: ShopData) {
  const margins = computeMargins(data, shop.settings, shop.asOf);
  return allReports({ data, settings: shop.settings, margins });
}

/**
 * Known importer/export gaps that change the reports (found by restoring one field at a time):
 * 1. (closed) isSample — the US order export has no sample mark; the importer now recognises a
 *    sample as an order whose every line has an original price of 0, which matches every sample.
 * 2. fees — fee fields with no US statement column (the generator's US shop emits
 *    sfp/live_specials/voucher_xtra/flash_sales service fees, vat_amount and
 *    cofunded_creator_bonus_amount) stay inside "Fees" only; the engine books them as other
 *    platform fees, so money moves between platformFees / creatorCommission / taxWithheld /
 *    otherFees (the total is unchanged).
 * 3. reserveAmount — importStatementUs sets reserveAmount = 0 (reserves are on "Reserve Details",
 *    not read): the Reconciliation shows no reserve withheld and the same amount as unexplained.
 */
function restore(data: ShopData, what: { samples?: boolean; fees?: boolean; reserves?: boolean }): ShopData {
  const byOrder = new Map(gen.orders.map((o) => [o.orderId, o]));
  const byTx = new Map((expected(gen).transactions ?? []).map((t, i) => [t.transactionId, gen.transactions[i]]));
  return {
    ...data,
    orders: data.orders.map((o) => (what.samples ? { ...o, isSample: byOrder.get(o.orderId)!.isSample } : o)),
    transactions: data.transactions.map((t) => ({
      ...t,
      ...(what.fees ? { fees: byTx.get(t.transactionId)!.fees } : {}),
      ...(what.reserves ? { reserveAmount: byTx.get(t.transactionId)!.reserveAmount } : {}),
    })),
  };
}

type Rows = Record<string, unknown>[];
/** "table[period].field" of every cell that differs. */
function cellDiffs(got: Rows, want: Rows, tag: string): string[] {
  const out: string[] = [];
  got.forEach((row, i) => {
    for (const k of new Set([...Object.keys(row), ...Object.keys(want[i] ?? {})])) {
      if (JSON.stringify(row[k]) !== JSON.stringify(want[i]?.[k])) out.push(`${tag}[${String(row.period ?? row.label ?? i)}].${k}`);
    }
  });
  return out;
}
function reportDiffs(got: ReturnType<typeof reports>, want: ReturnType<typeof reports>): string[] {
  return [
    ...cellDiffs(got.profit.accrual.rows, want.profit.accrual.rows, 'accrual'),
    ...cellDiffs(got.profit.cash.rows, want.profit.cash.rows, 'cash'),
    ...cellDiffs(got.reconciliation.periods.rows, want.reconciliation.periods.rows, 'recon'),
  ];
}
const fieldsOf = (diffs: string[], table: string) => [...new Set(diffs.filter((d) => d.startsWith(table)).map((d) => d.split('.').pop()!))].sort();
const row = (rows: Rows, period: string) => rows.find((r) => r.period === period || r.label === period)!;

describe('reports from the imported files vs the API path', () => {
  const api = reports(apiData());
  const reserves = gen.transactions.reduce((s, t) => s + t.reserveAmount, 0);

  it.each(['csv', 'xlsx'] as const)('%s: with the three documented gaps restored, profit (accrual, cash) and reconciliation are identical', (format) => {
    const got = reports(restore(importedData(format), { samples: true, fees: true, reserves: true }));
    expect(got.profit.accrual.rows).toEqual(api.profit.accrual.rows);
    expect(got.profit.cash.rows).toEqual(api.profit.cash.rows);
    expect(got.reconciliation.periods.rows).toEqual(api.reconciliation.periods.rows);
    expect(reserves).toBeLessThan(0);
  });

  it.each(['csv', 'xlsx'] as const)('%s: gap 3 (reserveAmount) alone changes only the reconciliation\'s reserve lines, by the reserves withheld', (format) => {
    const got = reports(restore(importedData(format), { samples: true, fees: true }));
    const d = reportDiffs(got, api);
    expect(fieldsOf(d, 'accrual')).toEqual([]);
    expect(fieldsOf(d, 'cash')).toEqual([]);
    expect(fieldsOf(d, 'recon')).toEqual(['payoutUnexplained', 'reserveWithheld', 'toBePaidOut', 'unexplained']);
    const [g, w] = [row(got.reconciliation.periods.rows, 'Total'), row(api.reconciliation.periods.rows, 'Total')];
    expect(g).toBeDefined();
    expect(w.reserveWithheld).toBe(reserves);
    expect(g.reserveWithheld).toBe(0);
    expect(g.payoutUnexplained).toBe(reserves);
    expect((g.toBePaidOut as number) - (w.toBePaidOut as number)).toBe(-reserves);
  });

  it.each(['csv', 'xlsx'] as const)('%s: gap 2 (fees without a US column) only re-categorizes fee money', (format) => {
    const got = reports(restore(importedData(format), { samples: true, reserves: true }));
    const d = reportDiffs(got, api);
    expect(fieldsOf(d, 'accrual')).toEqual(['cm2', 'cm3', 'cm3Share', 'creatorCommission', 'netProfit', 'platformFees']);
    expect(fieldsOf(d, 'cash')).toEqual(['cm2', 'cm3', 'cm3Share', 'creatorCommission', 'netProfit', 'platformFees']);
    expect(fieldsOf(d, 'recon')).toEqual(['creatorCommission', 'otherFees', 'platformFees', 'taxWithheld']);
    const [g, w] = [row(got.reconciliation.periods.rows, 'Total'), row(api.reconciliation.periods.rows, 'Total')];
    const feeTotal = (r: Record<string, unknown>) => ['platformFees', 'creatorCommission', 'taxWithheld', 'otherFees'].reduce((s, k) => s + (r[k] as number), 0);
    expect(feeTotal(g)).toBe(feeTotal(w));
    const vat = gen.transactions.reduce((s, t) => s + (t.fees.vat_amount ?? 0), 0);
    expect(w.taxWithheld).toBe(vat);
    expect(g.taxWithheld).toBe(0);
    // The money the breakdown no longer explains is booked as other fees.
    const lost = gen.transactions.reduce((s, t) => s + Object.entries(t.fees).filter(([f]) => !(f in US_FEE_COLUMNS)).reduce((a, [, v]) => a + (v ?? 0), 0), 0);
    expect((g.otherFees as number) - (w.otherFees as number)).toBe(lost);
  });

  it.each(['csv', 'xlsx'] as const)('%s: samples are recognised: with fees and reserves restored, the reports equal the API path exactly', (format) => {
    const got = reports(restore(importedData(format), { fees: true, reserves: true }));
    const d = reportDiffs(got, api);
    expect(fieldsOf(d, 'accrual')).toEqual([]);
    expect(fieldsOf(d, 'cash')).toEqual([]);
    expect(fieldsOf(d, 'recon')).toEqual([]);
    const [g, w] = [row(got.profit.accrual.rows, 'Last 30 days'), row(api.profit.accrual.rows, 'Last 30 days')];
    expect(g.sampleCost).toBe(w.sampleCost);
    expect(w.sampleCost as number).toBeGreaterThan(0);
  });

  it.each(['csv', 'xlsx'] as const)('%s: as imported, the reports differ from the API path by exactly the two remaining gaps', (format) => {
    const got = reports(importedData(format));
    expect(got.profit.accrual.rows).not.toEqual(api.profit.accrual.rows);
    expect(reportDiffs(got, api).length).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------- idempotence and overlap

const keyOf: Record<string, (x: any) => string> = {
  orders: (o) => o.orderId, lines: (l) => l.lineId, cancellations: (c) => c.cancelId,
  statements: (s) => s.statementId, transactions: (t) => t.transactionId,
};

describe('same file twice, overlapping files', () => {
  it('importing the same file twice gives identical records (same keys)', async () => {
    for (const format of ['csv', 'xlsx'] as const) {
      const bytes = await exportOrders(shop, { format });
      expect(importBytes(`a.${format}`, bytes).data).toEqual(importBytes(`a.${format}`, bytes).data);
      const sb = await exportStatement(shop, { format });
      expect(importBytes(`s.${format}`, sb).data).toEqual(importBytes(`s.${format}`, sb).data);
    }
  });

  it('two overlapping date ranges land on the same keys: their union de-duplicates to the whole shop', async () => {
    const tz = shop.meta.timezone;
    const day = (d: string) => startOfDay(d, tz);
    const a = { from: day('2025-02-17'), to: day('2025-03-01') };
    const b = { from: day('2025-02-24'), to: day('2025-03-20') };
    for (const format of ['csv', 'xlsx'] as const) {
      const parts = [
        importBytes(`o1.${format}`, await exportOrders(shop, { format, ...a })),
        importBytes(`o2.${format}`, await exportOrders(shop, { format, ...b })),
        importBytes(`s1.${format}`, await exportStatement(shop, { format, ...a })),
        importBytes(`s2.${format}`, await exportStatement(shop, { format, ...b })),
      ];
      const all = merge(...parts);
      for (const kind of KINDS) {
        const recs = (all[kind] ?? []) as any[];
        // Overlapping rows give the same key AND the same record: de-duplicating by key loses nothing.
        const byKey = new Map<string, string>();
        let overlap = 0;
        for (const r of recs) {
          const k = keyOf[kind](r);
          const json = JSON.stringify(r);
          if (byKey.has(k)) { overlap++; expect(byKey.get(k)).toBe(json); }
          byKey.set(k, json);
        }
        expect(byKey.size).toBe((imported[format][kind] ?? []).length);
        expect(new Set(byKey.keys())).toEqual(new Set(((imported[format][kind] ?? []) as any[]).map(keyOf[kind])));
        if (kind !== 'cancellations') expect(overlap).toBeGreaterThan(0);
      }
    }
  });
});
