/**
 * The runtime charges and refuses what Apps Script does (dev/runtime/gas/costs.ts, triggers.ts):
 * time per call by cells moved, the 30-second custom function with its arguments charged,
 * AuthMode, the spreadsheet's time zone, time-driven triggers and their daily quota, the
 * google.script.run payload cap and the heap budget. Plain scripts, no bundle: each rule alone.
 */
import { tmpdir } from 'node:os';
import {
  ExecutionKilledError, GasRuntime, GOOGLE_COSTS, ManualClock, PayloadTooLargeError, runOptions, SCRIPT_RUN_PAYLOAD_LIMIT,
  TRIGGER_QUOTA_MESSAGE, type GasRuntimeOptions,
} from '../../dev/runtime/gas';
import type { HttpRequest, HttpResponse, Transport } from '../../src/tiktok/ports';

const T0 = Date.UTC(2026, 2, 2, 0, 0, 0); // a Monday, 00:00 UTC

function runtime(code: string, options: GasRuntimeOptions = {}) {
  const clock = new ManualClock(T0);
  const rt = new GasRuntime({ code, distDir: tmpdir(), manifest: null, clock, costs: GOOGLE_COSTS, ...options });
  return { rt, clock };
}

/** Simulated ms one run of `name` took. */
function timed(rt: GasRuntime, clock: ManualClock, name: string, ...args: unknown[]): number {
  const t = clock.nowMs();
  rt.run(name, ...args);
  return clock.nowMs() - t;
}

const GRID = `
function grid(rows, cols) {
  var sh = SpreadsheetApp.getActiveSpreadsheet().getSheets()[0];
  if (sh.getMaxRows() < rows) sh.insertRowsAfter(sh.getMaxRows(), rows - sh.getMaxRows());
  if (sh.getMaxColumns() < cols) sh.insertColumnsAfter(sh.getMaxColumns(), cols - sh.getMaxColumns());
  return sh;
}
function write(rows, cols) {
  var v = []; for (var r = 0; r < rows; r++) { var line = []; for (var c = 0; c < cols; c++) line.push(r * cols + c); v.push(line); }
  grid(rows, cols).getRange(1, 1, rows, cols).setValues(v);
}
function read(rows, cols) { return grid(rows, cols).getRange(1, 1, rows, cols).getValues().length; }
function name() { return SpreadsheetApp.getActiveSpreadsheet().getName(); }
`;

describe('heap budget', () => {
  test('an execution whose heap grows past its budget is killed with "Exceeded memory limit"', () => {
    // V8's heap figure moves with garbage collection: the rule is shown over a heap meter the test sets.
    let heap = 100 * 1024 * 1024;
    const code = `function grow(mb) { Utilities.getUuid(); __grow(mb); Utilities.getUuid(); return 'ran'; }`;
    const { rt } = runtime(code, { heapBudgetBytes: 64 * 1024 * 1024, heapUsed: () => heap });
    const ex = rt.begin();
    (ex.context as Record<string, unknown>).__grow = (mb: number) => { heap += mb * 1024 * 1024; };
    expect(ex.call('grow', 10)).toBe('ran');
    expect(ex.peakHeapBytes).toBe(10 * 1024 * 1024);
    expect(() => ex.call('grow', 60)).toThrow(ExecutionKilledError);
    expect(() => ex.call('grow', 0)).toThrow('Exceeded memory limit.');
    ex.end();
    expect(rt.peakHeapBytes).toBe(70 * 1024 * 1024);
  });
});

describe('time per spreadsheet call grows with the cells it moves', () => {
  test('a call costs 100 ms; a write 0.3 ms and a read 0.025 ms more per cell', () => {
    const { rt, clock } = runtime(GRID);
    expect(timed(rt, clock, 'name')).toBe(200); // getActiveSpreadsheet + getName
    rt.run('write', 10, 10); // make the grid
    // write(1000, 10) on the 1000 × 26 grid: getActiveSpreadsheet, getSheets, getMaxRows, getMaxColumns, getRange, setValues = 6 calls.
    expect(timed(rt, clock, 'write', 1000, 10)).toBeCloseTo(6 * 100 + 10_000 * 0.3, 6);
    // read: getActiveSpreadsheet, getSheets, getMaxRows, getMaxColumns, getRange, getValues = 6 calls.
    expect(timed(rt, clock, 'read', 1000, 10)).toBeCloseTo(6 * 100 + 10_000 * 0.025, 6);
  });

  test('a write whose cells take longer than the execution has left is killed, as Apps Script kills it', () => {
    const { rt } = runtime(GRID);
    // 10,000 cells = 3 s of writing; 2 s of budget.
    expect(() => rt.run('write', 1000, 10, runOptions({ budgetMs: 2000 }))).toThrow(ExecutionKilledError);
    // The same with room to spare completes.
    expect(() => rt.run('write', 1000, 10, runOptions({ budgetMs: 5000 }))).not.toThrow();
  });
});

class FakeTransport implements Transport {
  readonly sent: HttpRequest[] = [];
  fetch(r: HttpRequest): HttpResponse {
    return this.fetchAll([r])[0];
  }
  fetchAll(rs: HttpRequest[]): HttpResponse[] {
    this.sent.push(...rs);
    return rs.map(() => ({ status: 200, headers: {}, body: '{}' }));
  }
}

describe('custom functions', () => {
  const code = GRID + `
    function SUMALL(range) { var s = 0; for (var i = 0; i < range.length; i++) for (var j = 0; j < range[i].length; j++) s += range[i][j]; return s; }
    function WRITES() { SpreadsheetApp.getActiveSpreadsheet().getSheets()[0].getRange(1, 1).setValue(1); return 1; }
    function READS() { return SpreadsheetApp.getActiveSpreadsheet().getSheets()[0].getRange(1, 1).getValue(); }
    function TRIGGERS() { ScriptApp.newTrigger('x').timeBased().everyHours(1).create(); return 1; }
    function FETCHES() { return UrlFetchApp.fetch('https://example.com/x').getResponseCode(); }
    function SLOW() { for (var i = 0; i < 40; i++) Utilities.sleep(1000); return 1; }
  `;
  const column = (n: number) => Array.from({ length: n }, () => [1]);

  test('get 30 seconds, counting the time Sheets spends handing them their ranges', () => {
    const { rt } = runtime(code);
    expect(rt.customFunction('SUMALL', column(1000))).toBe(1000);
    // 1,300,000 cells × 0.025 ms = 32.5 s of marshalling: past 30 s before the function starts.
    expect(() => rt.customFunction('SUMALL', column(1_300_000))).toThrow(ExecutionKilledError);
    // 40 s of work in a function: killed at 30 s (a 6-minute execution would not be).
    expect(() => rt.customFunction('SLOW')).toThrow(ExecutionKilledError);
    expect(() => rt.run('SLOW')).not.toThrow();
  });

  test('may read the spreadsheet and fetch, but not write cells or call services that need authorization', () => {
    const transport = new FakeTransport();
    const { rt } = runtime(code, { transport });
    rt.run('write', 1, 1);
    expect(rt.customFunction('READS')).toBe(0);
    expect(() => rt.customFunction('WRITES')).toThrow(/You do not have permission to call Range\.setValue.*may only read/);
    expect(rt.spreadsheet.getSheets()[0].getRange(1, 1).getValue()).toBe(0);
    expect(() => rt.customFunction('TRIGGERS')).toThrow(/You do not have permission to call ScriptApp\.newTrigger/);
    expect(rt.triggers).toHaveLength(0);
    expect(rt.customFunction('FETCHES')).toBe(200);
    // The same functions run from a menu (FULL) may do all of it.
    expect(rt.run('WRITES')).toBe(1);
  });
});

describe('AuthMode of simple triggers', () => {
  const code = `
    function onOpen(e) {
      SpreadsheetApp.getUi().createAddonMenu().addItem('Go', 'go').addToUi();
      if (e && e.readProperties) PropertiesService.getDocumentProperties().getProperty('x');
      if (e && e.readSheet) SpreadsheetApp.getActiveSpreadsheet().getName();
      if (e && e.fetch) UrlFetchApp.fetch('https://example.com/');
    }
  `;
  test('NONE: the menu only — no properties, no document', () => {
    const { rt } = runtime(code, { transport: new FakeTransport() });
    rt.run('onOpen', { authMode: 'NONE' });
    expect(rt.ui.menus).toHaveLength(1);
    expect(() => rt.run('onOpen', { authMode: 'NONE', readProperties: true })).toThrow(/You do not have permission to call PropertiesService\.getDocumentProperties/);
    expect(() => rt.run('onOpen', { authMode: 'NONE', readSheet: true })).toThrow(/You do not have permission to call SpreadsheetApp\.getActiveSpreadsheet/);
  });
  test('LIMITED: the document and properties, but no service that needs authorization', () => {
    const transport = new FakeTransport();
    const { rt } = runtime(code, { transport });
    expect(() => rt.run('onOpen', { authMode: 'LIMITED', readProperties: true, readSheet: true })).not.toThrow();
    expect(() => rt.run('onOpen', { authMode: 'LIMITED', fetch: true })).toThrow(/You do not have permission to call UrlFetchApp\.fetch/);
    expect(transport.sent).toHaveLength(0);
    rt.run('onOpen', { authMode: 'FULL', fetch: true });
    expect(transport.sent).toHaveLength(1);
  });
  test('a simple trigger stops after 30 seconds', () => {
    const { rt } = runtime('function onOpen(e) { for (var i = 0; i < 31; i++) Utilities.sleep(1000); }');
    expect(() => rt.run('onOpen', { authMode: 'LIMITED' })).toThrow(ExecutionKilledError);
  });
});

describe("the spreadsheet's time zone", () => {
  test('a date cell keeps its wall-clock time; read in another zone it is another instant', () => {
    const { rt } = runtime(GRID + `
      function put(ms) { grid(1, 1).getRange(1, 1).setValue(new Date(ms)); }
      function get() { return grid(1, 1).getRange(1, 1).getValue().getTime(); }
      function shown() { return grid(1, 1).getRange(1, 1).getDisplayValue(); }
    `, { spreadsheetTimeZone: 'America/Los_Angeles' });
    const midnightLA = Date.UTC(2026, 0, 15, 8); // 2026-01-15 00:00 in Los Angeles (PST, UTC−8)
    rt.run('put', midnightLA);
    expect(rt.run('get')).toBe(midnightLA);
    expect(rt.run('shown')).toBe('2026-01-15 00:00:00');
    rt.spreadsheet.setSpreadsheetTimeZone('Asia/Tokyo');
    expect(rt.run('shown')).toBe('2026-01-15 00:00:00');
    expect(rt.run('get')).toBe(Date.UTC(2026, 0, 14, 15)); // 2026-01-15 00:00 in Tokyo (UTC+9)
    expect(() => rt.spreadsheet.setSpreadsheetTimeZone('Mars/Olympus')).toThrow('Invalid argument: timeZone');
  });
});

describe('time-driven triggers on the simulated clock', () => {
  const code = `
    function every() { ScriptApp.newTrigger('tick').timeBased().everyHours(1).create(); }
    function daily() { ScriptApp.newTrigger('tick').timeBased().atHour(9).everyDays(1).inTimezone('America/Los_Angeles').create(); }
    function minutes() { ScriptApp.newTrigger('tick').timeBased().everyMinutes(5).create(); }
    function once() { ScriptApp.newTrigger('tick').timeBased().after(90 * 60 * 1000).create(); }
    function tick(e) {
      var p = PropertiesService.getDocumentProperties();
      p.setProperty('n', String(Number(p.getProperty('n') || 0) + 1));
      p.setProperty('mode', e.authMode);
      var ms = Number(p.getProperty('workMs') || 0);
      for (var left = ms; left > 0; left -= 60000) Utilities.sleep(Math.min(60000, left));
    }
  `;

  test('everyHours(1) fires every hour after creation, as the user who created it, in AuthMode.FULL', () => {
    const { rt, clock } = runtime(code, { costs: {} });
    rt.run('every');
    const runs = rt.runTriggersUntil(T0 + 24 * 3600_000);
    expect(runs.map((r) => r.at)).toEqual(Array.from({ length: 24 }, (_, i) => T0 + (i + 1) * 3600_000));
    expect(runs.every((r) => r.outcome === 'ok' && r.user === 'user@example.com')).toBe(true);
    expect(rt.properties.document.map.get('n')).toBe('24');
    expect(rt.properties.document.map.get('mode')).toBe('FULL');
    expect(clock.nowMs()).toBe(T0 + 24 * 3600_000);
  });

  test('atHour(9).everyDays(1) in a zone fires at 9:00 there; after() fires once and is gone', () => {
    const { rt } = runtime(code, { costs: {} });
    rt.run('daily');
    rt.run('once');
    const runs = rt.runTriggersUntil(T0 + 3 * 86_400_000);
    // 9:00 in Los Angeles = 17:00 UTC (PST), on Mar 2, 3 and 4; after(90 min) at 01:30 UTC.
    expect(runs.map((r) => new Date(r.at).toISOString())).toEqual([
      '2026-03-02T01:30:00.000Z', '2026-03-02T17:00:00.000Z', '2026-03-03T17:00:00.000Z', '2026-03-04T17:00:00.000Z',
    ]);
    expect(rt.triggers).toHaveLength(1);
  });

  test('an add-on may not create a trigger that runs more often than hourly', () => {
    const { rt } = runtime(code, { addOn: true });
    expect(() => rt.run('minutes')).toThrow('Add-ons may not create time-based triggers that run more often than once per hour.');
    expect(rt.triggers).toHaveLength(0);
  });

  test("a user's trigger runs share 90 minutes a day (consumer): the run that reaches it is cut short, later ones are refused", () => {
    const { rt } = runtime(code, { costs: {} });
    rt.properties.document.map.set('workMs', String(7 * 60_000)); // each run works 7 minutes (killed at 6)
    rt.run('every');
    const runs = rt.runTriggersUntil(T0 + 23.5 * 3600_000); // 23 firings, all on one UTC day
    // 15 runs killed at the 6-minute limit = 90 minutes: the quota is spent, the other 8 are refused.
    expect(runs.map((r) => r.outcome)).toEqual([...Array(15).fill('killed'), ...Array(8).fill('quota')]);
    expect(rt.triggerRuntimeUsed('user@example.com', T0)).toBe(90 * 60_000);
    expect(runs[15].error).toBe(TRIGGER_QUOTA_MESSAGE);
    expect(rt.properties.document.map.get('n')).toBe('15');
    // A run never gets more than what is left of the day's quota.
    const { rt: rt2 } = runtime(code, { costs: {} });
    rt2.properties.document.map.set('workMs', String(4 * 60_000));
    rt2.run('every');
    const runs2 = rt2.runTriggersUntil(T0 + 23.5 * 3600_000);
    // 22 runs × 4 min = 88 min; the 23rd has 2 minutes left and is killed there.
    expect(runs2.map((r) => r.outcome)).toEqual([...Array(22).fill('ok'), 'killed']);
    expect(runs2[22].ms).toBe(2 * 60_000);
    // The next UTC day starts a new quota.
    expect(rt2.runTriggersUntil(T0 + 25 * 3600_000).map((r) => r.outcome)).toEqual(['ok', 'ok']);
  });

  test('Workspace accounts get 6 hours', () => {
    const { rt } = runtime(code, { costs: {}, account: 'workspace' });
    rt.properties.document.map.set('workMs', String(4 * 60_000));
    rt.run('every');
    expect(rt.runTriggersUntil(T0 + 23.5 * 3600_000).every((r) => r.outcome === 'ok')).toBe(true);
  });
});

describe('google.script.run', () => {
  const code = `
    function take(s) { PropertiesService.getDocumentProperties().setProperty('took', String(s.length)); return s.length; }
    function give(n) { return new Array(n + 1).join('x'); }
  `;
  test('refuses arguments over the payload cap before anything runs, and results over it', () => {
    const { rt } = runtime(code);
    expect(rt.scriptRun('take', JSON.stringify(['abc']))).toBe('3');
    const big = 'x'.repeat(SCRIPT_RUN_PAYLOAD_LIMIT);
    expect(() => rt.scriptRun('take', JSON.stringify([big]))).toThrow(PayloadTooLargeError);
    expect(rt.properties.document.map.get('took')).toBe('3');
    expect(() => rt.scriptRun('give', JSON.stringify([SCRIPT_RUN_PAYLOAD_LIMIT]))).toThrow(/the result of this call/);
  });
});

