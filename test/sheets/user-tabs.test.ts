import { TabRowError } from '../../src/sheets/tabs';
import { TabHeaderError, type SheetGateway } from '../../src/sheets/table';
import { RateCardSchema, SettingsSchema, ThresholdsSchema } from '../../src/core/settings';
import { startOfDay } from '../../src/core/time';
import {
  COGS_TAB, CREATOR_FEES_TAB, FIXED_COSTS_TAB, SETTINGS_TAB, SETTING_DEFS, USER_TABS,
  ensureUserTabs, isExampleText, readCogs, readCreatorFees, readFixedCosts, readSettings,
} from '../../src/sheets/user-tabs';
import { MemoryGateway } from './memory-gateway';
import { readFollowers } from '../../src/sheets/user-tabs';

const LA = 'America/Los_Angeles';
const TOKYO = 'Asia/Tokyo';
const US = { currency: 'USD', timezone: LA };

/** What getValues gives for a date the user typed: midnight of `day` in the spreadsheet's zone. */
function sheetDate(day: string, tz: string): Date {
  return new Date(startOfDay(day, tz) * 1000);
}

function copy(gw: MemoryGateway, tab: string): unknown[][] {
  return JSON.parse(JSON.stringify(gw.grids.get(tab)));
}

/** A workbook with the user tabs created, then `value` typed into the Settings row `label`. */
function withSettings(edits: Record<string, unknown>, defaults = US): MemoryGateway {
  const gw = new MemoryGateway();
  ensureUserTabs(gw, defaults);
  const grid = gw.grids.get(SETTINGS_TAB)!;
  for (const [label, value] of Object.entries(edits)) {
    const row = grid.find((r) => r[0] === label);
    if (!row) throw new Error(`no setting row ${label}`);
    row[1] = value;
  }
  return gw;
}

const DEFAULT_SETTINGS_USD_LA = {
  currency: 'USD',
  timezone: LA,
  weekStart: 'MONDAY',
  allocationMethod: 'by_day',
  restockShareReturnBp: 10000,
  restockShareRefundOnlyBp: 0,
  packagingCostPerOrder: 0,
  pickPackCostPerOrder: 0,
  trailingWindowDays: 30,
  trailingMinOrders: 20,
  thresholds: {
    creatorGmvThreshold: null, targetCm3Bp: 1500, returnRateAlertBp: 1000, returnRateSpikeBp: 5000,
    pageViewRateHealthyMinBp: 300, pageViewRateHealthyMaxBp: 800, pageViewRateAlertBp: 150,
    statementTieOutBp: 500, payoutToleranceMinor: 0, estimatedShareAlertBp: 2000, staleAfterHours: 48,
  },
  rateCard: { referralFeeBp: 600, transactionFeeBp: 0, serviceFeeBp: 0, refundAdminShareBp: 2000, refundAdminCapPerSku: 500, shippingCostPerOrder: 0 },
};

describe('tab names', () => {
  test('constants', () => {
    expect([COGS_TAB, SETTINGS_TAB, FIXED_COSTS_TAB, CREATOR_FEES_TAB]).toEqual(['COGS', 'Settings', 'Fixed costs', 'Creator fees']);
    expect(USER_TABS).toEqual(['COGS', 'Settings', 'Fixed costs', 'Creator fees', 'Followers']);
  });

  test('example marker: the word EXAMPLE at the start, any case', () => {
    expect(['EXAMPLE-SKU-1', 'Example: rent', ' example', 'EXAMPLE_1', 'EXAMPLE'].map(isExampleText)).toEqual([true, true, true, true, true]);
    expect(['EXAMPLES', 'Examplewidget', 'MY-EXAMPLE', 'EXAMPLE2', 12].map(isExampleText)).toEqual([false, false, false, false, false]);
  });
});

describe('ensureUserTabs', () => {
  test('creates every tab once, with headers and examples, one write each, no formula', () => {
    const gw = new MemoryGateway();
    expect(ensureUserTabs(gw, US)).toEqual(['COGS', 'Settings', 'Fixed costs', 'Creator fees', 'Followers']);
    for (const t of USER_TABS) expect(gw.writes.get(t)).toBe(1);
    expect(gw.grids.get('Followers')).toEqual([['Date', 'Followers', 'Buyers who follow']]);
    expect(gw.formulas).toEqual([]);
    expect(gw.grids.get(COGS_TAB)).toEqual([
      ['SKU', 'Unit landed cost', 'Currency', 'Effective from'],
      ['EXAMPLE-SKU-1', 4.5, 'USD', '2025-01-01'],
      ['EXAMPLE-SKU-1', 4.75, 'USD', '2025-07-01'],
      ['EXAMPLE-SKU-2', 12, 'USD', ''],
    ]);
    expect(gw.grids.get(FIXED_COSTS_TAB)).toEqual([
      ['Month', 'Label', 'Currency', 'Amount'],
      ['2025-01', 'EXAMPLE - Warehouse rent', 'USD', 1500],
      ['2025-01', 'EXAMPLE - Software subscriptions', 'USD', 99],
    ]);
    expect(gw.grids.get(CREATOR_FEES_TAB)).toEqual([
      ['Creator', 'Date', 'Currency', 'Amount', 'Note'],
      ['EXAMPLE-creator', '2025-01-15', 'USD', 200, 'EXAMPLE: flat fee for one video (rows whose Creator starts with EXAMPLE are ignored)'],
    ]);
  });

  test('Settings tab: one row per setting, human labels and units', () => {
    const gw = new MemoryGateway();
    ensureUserTabs(gw, US);
    const grid = gw.grids.get(SETTINGS_TAB)!;
    expect(grid[0]).toEqual(['Setting', 'Value', 'What it means']);
    expect(grid.slice(1).map((r) => [r[0], r[1]])).toEqual([
      ['Currency', 'USD'],
      ['Time zone', 'America/Los_Angeles'],
      ['Week starts on', 'Monday'],
      ['Ad spend allocation', 'by_day'],
      ['Restock share, return and refund (%)', 100],
      ['Restock share, refund only (%)', 0],
      ['Packaging cost per order', 0],
      ['Pick and pack cost per order', 0],
      ['Trailing fee window (days)', 30],
      ['Trailing fee minimum orders', 20],
      ['Referral fee (%)', 6],
      ['Transaction fee (%)', 0],
      ['Service fees (%)', 0],
      ['Refund administration fee (% of referral fee)', 20],
      ['Refund administration fee cap per SKU', 5],
      ['Shipping cost per order (estimate)', 0],
      ['Creator GMV threshold', ''],
      ['Target CM3 (%)', 15],
      ['Return rate alert (%)', 10],
      ['Return rate spike (%)', 50],
      ['Page view rate, healthy minimum (%)', 3],
      ['Page view rate, healthy maximum (%)', 8],
      ['Page view rate alert (%)', 1.5],
      ['Statement tie-out tolerance (%)', 5],
      ['Payout tolerance', 0],
      ['Estimated share alert (%)', 20],
      ['Data stale after (hours)', 48],
      ['Backfill days', 90],
      ['Ad spend re-read days', 7],
      ['Ad account currency rates', ''],
      ['Hide data tabs', false],
    ]);
    expect(grid.slice(1).every((r) => typeof r[2] === 'string' && (r[2] as string).length > 20)).toBe(true);
  });

  test('the Settings rows cover every field of SettingsSchema, plus backfillDays', () => {
    const top = Object.keys(SettingsSchema.shape).filter((k) => k !== 'thresholds' && k !== 'rateCard');
    const expected = [
      ...top,
      ...Object.keys(RateCardSchema.shape).map((k) => `rateCard.${k}`),
      ...Object.keys(ThresholdsSchema.shape).map((k) => `thresholds.${k}`),
      'backfillDays', 'adRereadDays', 'adCurrencyRates', 'hideDataTabs',
    ].sort();
    expect(SETTING_DEFS.map((d) => d.key).sort()).toEqual(expected);
    expect(SETTING_DEFS).toHaveLength(31);
  });

  test('round trip: the created tabs read back as exactly the defaults, and no example row counts', () => {
    const gw = new MemoryGateway();
    ensureUserTabs(gw, US);
    expect(readSettings(gw, US)).toEqual({ settings: DEFAULT_SETTINGS_USD_LA, backfillDays: 90, adRereadDays: 7, adCurrencyRates: [], hideDataTabs: false });
    expect(readCogs(gw, 'USD', LA)).toEqual([]);
    expect(readFixedCosts(gw, 'USD', LA)).toEqual([]);
    expect(readCreatorFees(gw, 'USD', LA)).toEqual([]);
  });

  test('round trip in a currency without cents (JPY): the $5 cap default is 500 yen', () => {
    const gw = new MemoryGateway();
    ensureUserTabs(gw, { currency: 'JPY', timezone: TOKYO });
    expect(gw.grids.get(SETTINGS_TAB)!.find((r) => r[0] === 'Refund administration fee cap per SKU')![1]).toBe(500);
    expect(gw.grids.get(COGS_TAB)![1]).toEqual(['EXAMPLE-SKU-1', 450, 'JPY', '2025-01-01']);
    const { settings } = readSettings(gw, { currency: 'JPY', timezone: TOKYO });
    expect(settings).toEqual({ ...DEFAULT_SETTINGS_USD_LA, currency: 'JPY', timezone: TOKYO });
  });

  test('a tab that exists is never written, not even its header; a second call creates nothing', () => {
    const gw = new MemoryGateway();
    const cogs = [['sku', 'UNIT LANDED COST'], ['A-1', 3]];
    gw.setRaw(COGS_TAB, cogs);
    // The user deleted every setting row but kept the header: the rows must not come back.
    gw.setRaw(SETTINGS_TAB, [['Setting', 'Value', 'What it means']]);
    expect(ensureUserTabs(gw, US)).toEqual(['Fixed costs', 'Creator fees', 'Followers']);
    expect(gw.writes.get(COGS_TAB)).toBeUndefined();
    expect(gw.writes.get(SETTINGS_TAB)).toBeUndefined();
    expect(gw.grids.get(COGS_TAB)).toEqual(cogs);
    expect(gw.grids.get(SETTINGS_TAB)).toEqual([['Setting', 'Value', 'What it means']]);
    const fixed = copy(gw, FIXED_COSTS_TAB);
    expect(ensureUserTabs(gw, US)).toEqual([]);
    expect([...gw.writes.values()].reduce((a, b) => a + b, 0)).toBe(3);
    expect(gw.grids.get(FIXED_COSTS_TAB)).toEqual(fixed);
  });

  test('an existing tab holding something else is left alone, even when it has no body rows', () => {
    const gw = new MemoryGateway();
    gw.setRaw(CREATOR_FEES_TAB, [['my own header']]);
    expect(ensureUserTabs(gw, US)).toEqual(['COGS', 'Settings', 'Fixed costs', 'Followers']);
    expect(gw.grids.get(CREATOR_FEES_TAB)).toEqual([['my own header']]);
  });

  test('a tab with no cells at all counts as not set up', () => {
    const gw = new MemoryGateway();
    gw.setRaw(COGS_TAB, []);
    expect(ensureUserTabs(gw, US)).toEqual(['COGS', 'Settings', 'Fixed costs', 'Creator fees', 'Followers']);
    expect(gw.grids.get(COGS_TAB)).toHaveLength(4);
  });

  /** A gateway whose first read of each tab in `failing` throws (Apps Script: no such tab, or a timeout). */
  function failingFirstRead(gw: MemoryGateway, failing: readonly string[], message: string): SheetGateway {
    const left = new Set(failing);
    return {
      read(tab) {
        if (left.delete(tab)) throw new Error(message.replace('TAB', tab));
        return gw.read(tab);
      },
      write: (tab, data) => gw.write(tab, data),
      ensureTab: (tab, headers) => gw.ensureTab(tab, headers),
    };
  }

  test('a read that throws (Apps Script: no such tab) creates the tab', () => {
    const gw = new MemoryGateway();
    expect(ensureUserTabs(failingFirstRead(gw, USER_TABS, 'The "TAB" tab does not exist'), US)).toEqual(['COGS', 'Settings', 'Fixed costs', 'Creator fees', 'Followers']);
    expect(gw.grids.get(COGS_TAB)).toHaveLength(4);
  });

  test('a tab of the user whose first read fails anyway is not overwritten', () => {
    const gw = new MemoryGateway();
    const mine = [['SKU', 'Unit landed cost', 'Currency', 'Effective from'], ['A-1', 3, 'USD', '']];
    gw.setRaw(COGS_TAB, mine);
    expect(ensureUserTabs(failingFirstRead(gw, [COGS_TAB], 'timeout'), US)).toEqual(['Settings', 'Fixed costs', 'Creator fees', 'Followers']);
    expect(gw.writes.get(COGS_TAB)).toBeUndefined();
    expect(gw.grids.get(COGS_TAB)).toEqual(mine);
  });

  test('refuses an unknown currency or time zone before creating anything', () => {
    const gw = new MemoryGateway();
    expect(() => ensureUserTabs(gw, { currency: 'XYZ', timezone: LA })).toThrow('"XYZ" is not a known ISO 4217 currency code such as USD');
    expect(() => ensureUserTabs(gw, { currency: 'USD', timezone: 'Mars/Base' })).toThrow('"Mars/Base" is not an IANA time zone such as America/Los_Angeles');
    expect(gw.grids.size).toBe(0);
  });
});

describe('readSettings', () => {
  test('edited values in human units', () => {
    const gw = withSettings({
      'Referral fee (%)': 8,
      'Transaction fee (%)': '7.5%',
      'Service fees (%)': '0.25',
      'Ad spend allocation': 'by_product',
      'Week starts on': 'sunday',
      'Packaging cost per order': '$0.35',
      'Pick and pack cost per order': 1.2,
      'Creator GMV threshold': '1,000',
      'Restock share, return and refund (%)': '80 %',
      'Page view rate alert (%)': 0,
      'Trailing fee window (days)': '14',
      'Data stale after (hours)': 24,
      'Backfill days': 30,
    });
    const { settings, backfillDays } = readSettings(gw, US);
    expect(backfillDays).toBe(30);
    expect(settings).toEqual({
      ...DEFAULT_SETTINGS_USD_LA,
      weekStart: 'SUNDAY',
      allocationMethod: 'by_product',
      restockShareReturnBp: 8000,
      packagingCostPerOrder: 35,
      pickPackCostPerOrder: 120,
      trailingWindowDays: 14,
      thresholds: { ...DEFAULT_SETTINGS_USD_LA.thresholds, creatorGmvThreshold: 100000, pageViewRateAlertBp: 0, staleAfterHours: 24 },
      rateCard: { ...DEFAULT_SETTINGS_USD_LA.rateCard, referralFeeBp: 800, transactionFeeBp: 750, serviceFeeBp: 25 },
    });
  });

  test('a number computed by Sheets is read at 15 significant digits (0.1+0.2 → 0.3%)', () => {
    const gw = withSettings({ 'Referral fee (%)': 6 + 0.1 + 0.2, 'Packaging cost per order': 0.1 + 0.2 });
    const { settings } = readSettings(gw, US);
    expect(settings.rateCard.referralFeeBp).toBe(630);
    expect(settings.packagingCostPerOrder).toBe(30);
  });

  test('spelled variants: "By Product", "new-buyers", lowercase currency', () => {
    expect(readSettings(withSettings({ 'Ad spend allocation': 'By Product' }), US).settings.allocationMethod).toBe('by_product');
    expect(readSettings(withSettings({ 'Ad spend allocation': 'new-buyers' }), US).settings.allocationMethod).toBe('new_buyers');
    expect(readSettings(withSettings({ Currency: ' eur ' }), US).settings.currency).toBe('EUR');
  });

  test('money settings are read in the currency of the Settings tab', () => {
    const gw = withSettings({ Currency: 'JPY', 'Packaging cost per order': 120, 'Refund administration fee cap per SKU': '' });
    const { settings } = readSettings(gw, US);
    expect(settings.currency).toBe('JPY');
    expect(settings.packagingCostPerOrder).toBe(120);
    expect(settings.rateCard.refundAdminCapPerSku).toBe(500);
    expect(() => readSettings(withSettings({ Currency: 'JPY', 'Packaging cost per order': 1.5 }), US)).toThrow(
      'Settings tab, row 8, column "Value": expected "Packaging cost per order" to be at most 0 decimal places for JPY, got 1.5',
    );
  });

  test('blank values, missing rows, reordered rows and columns: defaults where nothing is said', () => {
    const gw = new MemoryGateway();
    gw.setRaw(SETTINGS_TAB, [
      ['Notes', ' VALUE ', 'setting'],
      ['mine', '', 'Currency'],
      ['', 9, '  referral FEE (%) '],
      ['', '', ''],
      ['just a note', '', ''],
      ['', '', 'Backfill days'],
    ]);
    expect(readSettings(gw, { currency: 'GBP', timezone: 'Europe/London' })).toEqual({
      settings: { ...DEFAULT_SETTINGS_USD_LA, currency: 'GBP', timezone: 'Europe/London', rateCard: { ...DEFAULT_SETTINGS_USD_LA.rateCard, referralFeeBp: 900 } },
      backfillDays: 90, adRereadDays: 7, adCurrencyRates: [], hideDataTabs: false,
    });
  });

  test('an empty or absent Settings tab gives the defaults', () => {
    expect(readSettings(new MemoryGateway(), US)).toEqual({ settings: DEFAULT_SETTINGS_USD_LA, backfillDays: 90, adRereadDays: 7, adCurrencyRates: [], hideDataTabs: false });
  });

  test.each<[string, unknown, string]>([
    ['Referral fee (%)', 'abc', 'Settings tab, row 12, column "Value": expected "Referral fee (%)" to be a percent such as 6 or "6%" for 6%, got "abc"'],
    ['Referral fee (%)', 0.08, 'Settings tab, row 12, column "Value": expected "Referral fee (%)" to be a percent number such as 6 for 6% (a number between 0 and 1 is ambiguous: Sheets stores a typed "8%" as 0.08; type 8 for 8%, or the text \'0.5% for half a percent), got 0.08'],
    ['Referral fee (%)', -6, 'Settings tab, row 12, column "Value": expected "Referral fee (%)" to be a percent such as 6 or "6%" for 6%, got -6'],
    ['Referral fee (%)', '6.125%', 'Settings tab, row 12, column "Value": expected "Referral fee (%)" to be a percent with at most 2 decimal places, got "6.125%"'],
    ['Referral fee (%)', 6.125, 'Settings tab, row 12, column "Value": expected "Referral fee (%)" to be a percent with at most 2 decimal places, got 6.125'],
    ['Referral fee (%)', true, 'Settings tab, row 12, column "Value": expected "Referral fee (%)" to be a percent such as 6 or "6%" for 6%, got true'],
    ['Restock share, return and refund (%)', 150, 'Settings tab, row 6, column "Value": expected "Restock share, return and refund (%)" to be a percent such as 6 or "6%" for 6%, at most 100, got 150'],
    ['Packaging cost per order', 'abc', 'Settings tab, row 8, column "Value": expected "Packaging cost per order" to be an amount in USD such as 12.50, got "abc"'],
    ['Packaging cost per order', 0.355, 'Settings tab, row 8, column "Value": expected "Packaging cost per order" to be at most 2 decimal places for USD, got 0.355'],
    ['Packaging cost per order', -1, 'Settings tab, row 8, column "Value": expected "Packaging cost per order" to be an amount of 0 or more in USD, got -1'],
    ['Packaging cost per order', '€1', 'Settings tab, row 8, column "Value": expected "Packaging cost per order" to be an amount in USD such as 12.50, got "€1"'],
    ['Trailing fee window (days)', 0, 'Settings tab, row 10, column "Value": expected "Trailing fee window (days)" to be a whole number of at least 1, got 0'],
    ['Backfill days', 7.5, 'Settings tab, row 29, column "Value": expected "Backfill days" to be a whole number of at least 1, got 7.5'],
    ['Currency', 'US Dollar', 'Settings tab, row 2, column "Value": expected "Currency" to be a currency code such as USD, got "US Dollar"'],
    ['Time zone', 'Pacific Time', 'Settings tab, row 3, column "Value": expected "Time zone" to be a time zone such as America/Los_Angeles, got "Pacific Time"'],
    ['Week starts on', 'Mon', 'Settings tab, row 4, column "Value": expected "Week starts on" to be a day of the week such as Monday, got "Mon"'],
    ['Ad spend allocation', 'by_creator', 'Settings tab, row 5, column "Value": expected "Ad spend allocation" to be one of by_day, by_product, new_buyers, got "by_creator"'],
    ['Ad account currency rates', 'EUR 1,08 2025-03-01', 'Settings tab, row 31, column "Value": expected "Ad account currency rates" to be a positive decimal rate (shop currency per 1 unit of the ad account currency), got "EUR 1,08 2025-03-01"'],
    ['Ad account currency rates', 'USD 1 2025-03-01', 'Settings tab, row 31, column "Value": expected "Ad account currency rates" to be a currency other than the shop\'s (USD), got "USD 1 2025-03-01"'],
  ])('%s = %p → error', (label, value, message) => {
    const gw = withSettings({ [label]: value });
    expect(() => readSettings(gw, US)).toThrow(TabRowError);
    expect(() => readSettings(gw, US)).toThrow(message);
    try {
      readSettings(gw, US);
      throw new Error('no error');
    } catch (e) {
      expect((e as Error).message).toBe(message);
    }
  });

  test('unknown, repeated and unnamed settings name their row', () => {
    const gw = withSettings({});
    gw.grids.get(SETTINGS_TAB)!.push(['Referal fee', 7, '']);
    expect(() => readSettings(gw, US)).toThrow(
      'Settings tab, row 33, column "Setting": expected a setting name this add-on knows, such as "Referral fee (%)" (fix the name or delete the row), got "Referal fee"',
    );
    gw.grids.get(SETTINGS_TAB)![32] = ['referral fee (%)', 7, ''];
    expect(() => readSettings(gw, US)).toThrow('Settings tab, row 33, column "Setting": expected each setting once ("Referral fee (%)" is already in row 12), got "referral fee (%)"');
    gw.grids.get(SETTINGS_TAB)![32] = ['', 7, ''];
    expect(() => readSettings(gw, US)).toThrow('Settings tab, row 33, column "Setting": expected a setting name such as "Referral fee (%)" for the value in this row, got an empty cell');
  });

  test('a missing Value column names the tab, the header row, what is expected and what is there', () => {
    const gw = new MemoryGateway();
    gw.setRaw(SETTINGS_TAB, [['Setting', 'Amount'], ['Referral fee (%)', 7]]);
    expect(() => readSettings(gw, US)).toThrow(TabHeaderError);
    expect(() => readSettings(gw, US)).toThrow('Settings tab: column "Value" is missing from the header row (row 1): expected the columns Setting, Value (in any order), got Setting, Amount');
  });

  test('the spreadsheet time zone argument is checked', () => {
    expect(() => readSettings(new MemoryGateway(), US, 'Nowhere/Land')).toThrow('"Nowhere/Land" is not an IANA time zone');
    expect(readSettings(new MemoryGateway(), US, TOKYO).backfillDays).toBe(90);
  });
});

describe('readCogs', () => {
  const H = ['SKU', 'Unit landed cost', 'Currency', 'Effective from'];

  test('Date cells are days of the SPREADSHEET time zone; costs change over time', () => {
    const gw = new MemoryGateway();
    // 2026-03-01 00:00 in Tokyo is 2026-02-28 15:00 UTC, still 2026-02-28 in Los Angeles.
    const march1Tokyo = sheetDate('2026-03-01', TOKYO);
    expect(march1Tokyo.toISOString()).toBe('2026-02-28T15:00:00.000Z');
    gw.setRaw(COGS_TAB, [
      H,
      ['SKU-1', 4.5, 'USD', sheetDate('2025-12-01', TOKYO)],
      ['SKU-1', '4.80', 'USD', march1Tokyo],
      ['SKU-1', '$5.10', '', '2026-06-15'],
    ]);
    const expected = [
      { sku: 'SKU-1', currency: 'USD', unitCost: 450, effectiveFrom: '2025-12-01' },
      { sku: 'SKU-1', currency: 'USD', unitCost: 480, effectiveFrom: '2026-03-01' },
      { sku: 'SKU-1', currency: 'USD', unitCost: 510, effectiveFrom: '2026-06-15' },
    ];
    expect(readCogs(gw, 'USD', LA, TOKYO)).toEqual(expected);
    expect(readCogs(gw, 'USD', LA, { spreadsheetTimeZone: TOKYO })).toEqual(expected);
    // Without the spreadsheet zone the shop's is used: here it is the wrong one, a day early.
    expect(readCogs(gw, 'USD', LA).map((c) => c.effectiveFrom)).toEqual(['2025-11-30', '2026-02-28', '2026-06-15']);
    expect(readCogs(gw, 'USD', TOKYO).map((c) => c.effectiveFrom)).toEqual(['2025-12-01', '2026-03-01', '2026-06-15']);
  });

  test('a Date around a DST change in the spreadsheet zone', () => {
    const gw = new MemoryGateway();
    gw.setRaw(COGS_TAB, [H, ['A', 1, 'USD', sheetDate('2026-03-08', LA)], ['A', 2, 'USD', sheetDate('2026-11-01', LA)]]);
    expect(readCogs(gw, 'USD', LA).map((c) => c.effectiveFrom)).toEqual(['2026-03-08', '2026-11-01']);
  });

  test('amount formats, blank currency and date, numeric SKUs, any column order, extra columns, blank and example rows', () => {
    const gw = new MemoryGateway();
    gw.setRaw(COGS_TAB, [
      ['effective FROM', 'notes', ' sku ', 'CURRENCY', 'Unit  landed cost'],
      ['2026-01-01', 'from supplier B', 'A-1', 'usd', '1,234.56'],
      ['', '', '', '', ''],
      ['', 'only a note', '', '', ''],
      ['', '', 12345, '', 0.1 + 0.2],
      ['2026-02-01', '', 'EXAMPLE-SKU-1', 'EUR', 'not even a number'],
      ['2026-01-01', '', 'B-2', 'USD', '12.50 USD'],
      ['2026-01-01', '', 'C-3', 'USD', 'US$ 7'],
      ['2026-01-01', '', 'D-4', 'USD', 0],
      ['2026-01-01', '', 'E-5', 'USD', '12.300'],
    ]);
    expect(readCogs(gw, 'USD', LA)).toEqual([
      { sku: 'A-1', currency: 'USD', unitCost: 123456, effectiveFrom: '2026-01-01' },
      { sku: '12345', currency: 'USD', unitCost: 30, effectiveFrom: '1970-01-01' },
      { sku: 'B-2', currency: 'USD', unitCost: 1250, effectiveFrom: '2026-01-01' },
      { sku: 'C-3', currency: 'USD', unitCost: 700, effectiveFrom: '2026-01-01' },
      { sku: 'D-4', currency: 'USD', unitCost: 0, effectiveFrom: '2026-01-01' },
      { sku: 'E-5', currency: 'USD', unitCost: 1230, effectiveFrom: '2026-01-01' },
    ]);
  });

  test('other currencies: symbols and whole units', () => {
    const gw = new MemoryGateway();
    gw.setRaw(COGS_TAB, [H, ['A', '¥1,200', 'JPY', '2026-01-01'], ['B', 350, '', '2026-01-01']]);
    expect(readCogs(gw, 'JPY', TOKYO).map((c) => c.unitCost)).toEqual([1200, 350]);
    gw.setRaw(COGS_TAB, [H, ['A', '€3.20', 'EUR', '2026-01-01'], ['B', '3.20 eur', '', '2026-01-01']]);
    expect(readCogs(gw, 'EUR', 'Europe/Paris').map((c) => c.unitCost)).toEqual([320, 320]);
  });

  test('an absent or empty tab is no COGS', () => {
    expect(readCogs(new MemoryGateway(), 'USD', LA)).toEqual([]);
    const gw = new MemoryGateway();
    gw.setRaw(COGS_TAB, [H]);
    expect(readCogs(gw, 'USD', LA)).toEqual([]);
  });

  test.each<[unknown[], string]>([
    [['A', 'abc', 'USD', '2026-01-01'], 'COGS tab, row 2, column "Unit landed cost": expected an amount in USD such as 12.50, got "abc"'],
    [['A', -3, 'USD', '2026-01-01'], 'COGS tab, row 2, column "Unit landed cost": expected an amount of 0 or more in USD, got -3'],
    [['A', '-$3.00', 'USD', '2026-01-01'], 'COGS tab, row 2, column "Unit landed cost": expected an amount of 0 or more in USD, got "-$3.00"'],
    [['A', 12.345, 'USD', '2026-01-01'], 'COGS tab, row 2, column "Unit landed cost": expected at most 2 decimal places for USD, got 12.345'],
    [['A', '1.234,56', 'USD', '2026-01-01'], 'COGS tab, row 2, column "Unit landed cost": expected an amount in USD such as 12.50, got "1.234,56"'],
    [['A', '£3', 'USD', '2026-01-01'], 'COGS tab, row 2, column "Unit landed cost": expected an amount in USD such as 12.50, got "£3"'],
    [['A', '', 'USD', '2026-01-01'], 'COGS tab, row 2, column "Unit landed cost": expected an amount in USD such as 12.50, got an empty cell'],
    [['A', 3, 'EUR', '2026-01-01'], 'COGS tab, row 2, column "Currency": expected USD, the shop\'s currency (or an empty cell), got "EUR"'],
    [['', 3, 'USD', '2026-01-01'], 'COGS tab, row 2, column "SKU": expected a SKU (seller SKU or TikTok SKU ID), got an empty cell'],
    [[576900000000000001, 3, 'USD', '2026-01-01'], 'COGS tab, row 2, column "SKU": expected a SKU (seller SKU or TikTok SKU ID) as text (Sheets turned this long ID into a number and dropped digits: format the column as Plain text, or type the ID with a leading apostrophe), got 576900000000000000'],
    [['A', 3, 'USD', '03/01/2026'], 'COGS tab, row 2, column "Effective from": expected a date such as 2026-03-01, got "03/01/2026"'],
    [['A', 3, 'USD', '2026-02-30'], 'COGS tab, row 2, column "Effective from": expected a date such as 2026-03-01, got "2026-02-30"'],
    [['A', 3, 'USD', 46082], 'COGS tab, row 2, column "Effective from": expected a date such as 2026-03-01, got 46082'],
  ])('%p → error', (row, message) => {
    const gw = new MemoryGateway();
    gw.setRaw(COGS_TAB, [H, row]);
    expect(() => readCogs(gw, 'USD', LA)).toThrow(TabRowError);
    try {
      readCogs(gw, 'USD', LA);
      throw new Error('no error');
    } catch (e) {
      expect((e as Error).message).toBe(message);
    }
  });

  test('the same SKU twice from the same day names both rows', () => {
    const gw = new MemoryGateway();
    gw.setRaw(COGS_TAB, [H, ['A', 3, 'USD', sheetDate('2026-03-01', LA)], ['B', 3, 'USD', ''], ['A', 4, 'USD', '2026-03-01']]);
    expect(() => readCogs(gw, 'USD', LA)).toThrow('COGS tab, row 4, column "Effective from": expected one cost per SKU and day (row 2 already has SKU "A" from 2026-03-01), got "2026-03-01"');
  });

  test('a missing column or a repeated one: TabHeaderError naming tab, column, expected and found', () => {
    const gw = new MemoryGateway();
    gw.setRaw(COGS_TAB, [['SKU', 'Unit landed cost', 'Effective from'], ['A', 3, '2026-01-01']]);
    expect(() => readCogs(gw, 'USD', LA)).toThrow(TabHeaderError);
    expect(() => readCogs(gw, 'USD', LA)).toThrow(
      'COGS tab: column "Currency" is missing from the header row (row 1): expected the columns SKU, Unit landed cost, Currency, Effective from (in any order), got SKU, Unit landed cost, Effective from',
    );
    gw.setRaw(COGS_TAB, [['SKU', 'Unit landed cost', 'Currency', 'Effective from', 'sku '], ['A', 3, 'USD', '2026-01-01', 'B']]);
    expect(() => readCogs(gw, 'USD', LA)).toThrow('COGS tab: column "sku" appears twice in the header row (row 1); delete one of them');
    gw.setRaw(COGS_TAB, [[], ['A', 3, 'USD', '2026-01-01']]);
    expect(() => readCogs(gw, 'USD', LA)).toThrow('COGS tab: column "SKU" is missing from the header row (row 1): expected the columns SKU, Unit landed cost, Currency, Effective from (in any order), got no headers');
  });

  test('refuses an unknown shop currency or spreadsheet time zone', () => {
    expect(() => readCogs(new MemoryGateway(), 'usd', LA)).toThrow('"usd" is not a known ISO 4217 currency code such as USD');
    expect(() => readCogs(new MemoryGateway(), 'USD', LA, 'GMT+9')).toThrow('"GMT+9" is not an IANA time zone such as America/Los_Angeles');
  });
});

describe('readFixedCosts', () => {
  const H = ['Month', 'Label', 'Currency', 'Amount'];

  test('month as text, as a date text or as a Date; negative amounts are credits', () => {
    const gw = new MemoryGateway();
    gw.setRaw(FIXED_COSTS_TAB, [
      H,
      ['2026-03', 'Rent', 'USD', 1500],
      [sheetDate('2026-04-01', TOKYO), 'Rent', '', '$1,500.00'],
      ['2026-05-15', '', 'USD', '-200'],
      ['2026-05', 'EXAMPLE - Warehouse rent', 'USD', 1500],
      ['', '', '', ''],
    ]);
    expect(readFixedCosts(gw, 'USD', LA, TOKYO)).toEqual([
      { month: '2026-03', label: 'Rent', currency: 'USD', amount: 150000 },
      { month: '2026-04', label: 'Rent', currency: 'USD', amount: 150000 },
      { month: '2026-05', label: '', currency: 'USD', amount: -20000 },
    ]);
  });

  test.each<[unknown[], string]>([
    [['March', 'Rent', 'USD', 1], 'Fixed costs tab, row 2, column "Month": expected a month such as 2026-03 (or a date in that month), got "March"'],
    [['2026-13', 'Rent', 'USD', 1], 'Fixed costs tab, row 2, column "Month": expected a month such as 2026-03 (or a date in that month), got "2026-13"'],
    [['', 'Rent', 'USD', 1], 'Fixed costs tab, row 2, column "Month": expected a month such as 2026-03 (or a date in that month), got an empty cell'],
    [['2026-03', 'Rent', 'USD', 'abc'], 'Fixed costs tab, row 2, column "Amount": expected an amount in USD such as 12.50, got "abc"'],
    [['2026-03', 'Rent', 'CAD', 1], 'Fixed costs tab, row 2, column "Currency": expected USD, the shop\'s currency (or an empty cell), got "CAD"'],
    [['2026-03', 'Rent', 'USD', '--5'], 'Fixed costs tab, row 2, column "Amount": expected an amount in USD such as 12.50, got "--5"'],
  ])('%p → error', (row, message) => {
    const gw = new MemoryGateway();
    gw.setRaw(FIXED_COSTS_TAB, [H, row]);
    expect(() => readFixedCosts(gw, 'USD', LA)).toThrow(TabRowError);
    expect(() => readFixedCosts(gw, 'USD', LA)).toThrow(message);
  });
});

describe('readCreatorFees', () => {
  const H = ['Creator', 'Date', 'Currency', 'Amount', 'Note'];

  test('fees with dates, a leading @ dropped, notes kept', () => {
    const gw = new MemoryGateway();
    gw.setRaw(CREATOR_FEES_TAB, [
      H,
      ['@alice', sheetDate('2026-03-01', LA), 'USD', 200, 'one video'],
      ['bob', '2026-03-02', '', '$75.50', ''],
      ['EXAMPLE-creator', '2025-01-15', 'USD', 200, 'EXAMPLE'],
    ]);
    expect(readCreatorFees(gw, 'USD', LA)).toEqual([
      { creatorUsername: 'alice', date: '2026-03-01', currency: 'USD', amount: 20000, note: 'one video' },
      { creatorUsername: 'bob', date: '2026-03-02', currency: 'USD', amount: 7550, note: '' },
    ]);
  });

  test.each<[unknown[], string]>([
    [['', '2026-03-01', 'USD', 1, ''], 'Creator fees tab, row 2, column "Creator": expected a creator username, got an empty cell'],
    [['@', '2026-03-01', 'USD', 1, ''], 'Creator fees tab, row 2, column "Creator": expected a creator username, got "@"'],
    [['alice', '', 'USD', 1, ''], 'Creator fees tab, row 2, column "Date": expected a date such as 2026-03-01, got an empty cell'],
    [['alice', '2026-03-01', 'USD', -1, ''], 'Creator fees tab, row 2, column "Amount": expected an amount of 0 or more in USD, got -1'],
    [['alice', '2026-03-01', 'USD', '', 'forgot'], 'Creator fees tab, row 2, column "Amount": expected an amount in USD such as 12.50, got an empty cell'],
    [['alice', '2026-03-01', 'MXN', 1, ''], 'Creator fees tab, row 2, column "Currency": expected USD, the shop\'s currency (or an empty cell), got "MXN"'],
  ])('%p → error', (row, message) => {
    const gw = new MemoryGateway();
    gw.setRaw(CREATOR_FEES_TAB, [H, row]);
    expect(() => readCreatorFees(gw, 'USD', LA)).toThrow(TabRowError);
    expect(() => readCreatorFees(gw, 'USD', LA)).toThrow(message);
  });

  test('the Note column is required like the others', () => {
    const gw = new MemoryGateway();
    gw.setRaw(CREATOR_FEES_TAB, [['Creator', 'Date', 'Currency', 'Amount'], ['alice', '2026-03-01', 'USD', 1]]);
    expect(() => readCreatorFees(gw, 'USD', LA)).toThrow('Creator fees tab: column "Note" is missing from the header row (row 1)');
  });
});

test('a long SKU ID that Sheets turned into a number: the message says how to keep it as text', () => {
  const gw = new MemoryGateway();
  gw.setRaw('COGS', [['SKU', 'Unit landed cost', 'Currency', 'Effective from'], [1732000000005000200, 4.5, 'USD', '2025-01-01']]);
  expect(() => readCogs(gw, 'USD', 'America/Los_Angeles')).toThrow(
    'COGS tab, row 2, column "SKU": expected a SKU (seller SKU or TikTok SKU ID) as text (Sheets turned this long ID into a number and dropped digits: format the column as Plain text, or type the ID with a leading apostrophe), got 1732000000005000200',
  );
});

test('a COGS row with a SKU but neither cost nor date is a cost still to enter: skipped, not an error', () => {
  const gw = new MemoryGateway();
  gw.setRaw('COGS', [['SKU', 'Unit landed cost', 'Currency', 'Effective from'], ['TS-1', 4.5, 'USD', ''], ['TS-2', '', 'USD', '']]);
  expect(readCogs(gw, 'USD', 'America/Los_Angeles')).toEqual([{ sku: 'TS-1', currency: 'USD', unitCost: 450, effectiveFrom: '1970-01-01' }]);
});

describe('readFollowers', () => {
  const withFollowers = (rows: unknown[][]) => {
    const gw = new MemoryGateway();
    gw.grids.set('Followers', [['Date', 'Followers', 'Buyers who follow'], ...rows]);
    return gw;
  };

  test('one day per row, counts as whole numbers; no tab or an empty one: no follower data', () => {
    expect(readFollowers(withFollowers([['2026-03-01', 1200, 40], ['2026-03-02', '1210', ' 38 ']]), 'America/Los_Angeles')).toEqual([
      { date: '2026-03-01', followers: 1200, buyersWhoFollow: 40 },
      { date: '2026-03-02', followers: 1210, buyersWhoFollow: 38 },
    ]);
    expect(readFollowers(new MemoryGateway(), 'America/Los_Angeles')).toEqual([]);
    expect(readFollowers(withFollowers([]), 'America/Los_Angeles')).toEqual([]);
  });

  test('a bad count or a date twice names the row and column', () => {
    expect(() => readFollowers(withFollowers([['2026-03-01', 12.5, 1]]), 'America/Los_Angeles')).toThrow('Followers tab, row 2, column "Followers": expected a whole number of at least 0, got 12.5');
    expect(() => readFollowers(withFollowers([['2026-03-01', 1, -1]]), 'America/Los_Angeles')).toThrow('Followers tab, row 2, column "Buyers who follow": expected a whole number of at least 0, got -1');
    expect(() => readFollowers(withFollowers([['2026-03-01', 1, 1], ['2026-03-01', 2, 2]]), 'America/Los_Angeles')).toThrow('Followers tab, row 3, column "Date": expected each date once (2026-03-01 is already in row 2)');
  });
});

