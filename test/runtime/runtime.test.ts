/**
 * The local Apps Script runtime (dev/runtime/gas/): the built bundle run through it, and the
 * services' rules (shapes, limits, signed bytes, locks, the execution budget).
 */
import { createHmac } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import vm from 'node:vm';
import { buildInto, type BuiltAddon } from '../bundle/build-into';
import { ExecutionKilledError, GasRuntime, ManualClock, runOptions } from '../../dev/runtime/gas';

let built: BuiltAddon;

beforeAll(() => {
  built = buildInto();
}, 60_000);

afterAll(() => built?.cleanup());

/** A runtime over the built bundle plus `extra` script text (helpers the tests call as globals). */
function runtime(extra = '', options: ConstructorParameters<typeof GasRuntime>[0] = {}) {
  return new GasRuntime({ code: built.code + '\n' + extra, distDir: built.outdir, clock: new ManualClock(), ...options });
}

describe('the bundle in the runtime', () => {
  test('has no Node globals, only Apps Script services', () => {
    const rt = runtime();
    const ex = rt.begin();
    expect(ex.eval('[typeof require, typeof process, typeof Buffer, typeof setTimeout, typeof fetch].join()')).toBe('undefined,undefined,undefined,undefined,undefined');
    expect(ex.eval('[typeof SpreadsheetApp, typeof PropertiesService, typeof UrlFetchApp, typeof Utilities].join()')).toBe('object,object,object,object');
    ex.end();
  });

  test('onOpen records the add-on menu', () => {
    const rt = runtime();
    rt.run('onOpen', { authMode: 'NONE' });
    // The items themselves belong to src/sheets/menu.ts (tested there); here: one add-on menu, added, opening the sidebar.
    expect(rt.ui.menus).toEqual([{ title: null, addon: true, items: expect.arrayContaining([{ caption: 'Open sidebar', functionName: 'showSidebar' }]), addedToUi: true }]);
  });

  test('showSidebar serves dist/Sidebar.html with its title', () => {
    const rt = runtime();
    rt.run('showSidebar');
    expect(rt.ui.sidebars).toHaveLength(1);
    expect(rt.ui.sidebars[0].title).toBe('TikTok Shop Profit');
    expect(rt.ui.sidebars[0].getContent()).toBe(built.sidebarHtml);
  });

  test('a missing HTML file is refused as Apps Script does', () => {
    const rt = runtime('function page() { return HtmlService.createHtmlOutputFromFile("Nope"); }');
    expect(() => rt.run('page')).toThrow('No HTML file named Nope was found.');
  });

  test('an unknown global is refused', () => {
    expect(() => runtime().run('noSuchFunction')).toThrow('Script function not found: noSuchFunction');
  });

  test('custom functions run as globals, arguments in the script realm', () => {
    expect(runtime().run('TIKTOK_CM', [[0.3]], [[0.1]], [[0.2]], 0, 0, 0)).toEqual([[0]]);
  });
});

describe('SpreadsheetApp', () => {
  const sheetScript = `
    function sheet() { return SpreadsheetApp.getActiveSpreadsheet().getSheets()[0]; }
    function write(a1, values) { sheet().getRange(a1).setValues(values); }
    function read(a1) { return sheet().getRange(a1).getValues(); }
    function display(a1) { return sheet().getRange(a1).getDisplayValues(); }
    function formulas(a1) { return sheet().getRange(a1).getFormulas(); }
  `;

  test('setValues refuses the wrong number of rows, then of columns, with Apps Script messages', () => {
    const rt = runtime(sheetScript);
    expect(() => rt.run('write', 'A1:B3', [[1, 2], [3, 4]])).toThrow(
      'The number of rows in the data does not match the number of rows in the range. The data has 2 but the range has 3.',
    );
    expect(() => rt.run('write', 'A1:B2', [[1, 2], [3]])).toThrow(
      'The number of columns in the data does not match the number of columns in the range. The data has 1 but the range has 2.',
    );
    const ex = rt.begin();
    expect(ex.eval('try { sheet().getRange(1, 1, 2, 2).setValues([[1]]); } catch (e) { [e instanceof Error, e.name].join() }')).toBe('true,Exception');
    ex.end();
  });

  test('the spreadsheet counts getValues/setValues calls and the cells they cover (the workbook benchmark reads them)', () => {
    const rt = runtime(sheetScript);
    rt.run('write', 'A1:C2', [[1, 2, 3], [4, 5, 6]]);
    rt.run('write', 'A5', [['x']]);
    rt.run('read', 'A1:B10');
    expect(rt.spreadsheet.stats).toEqual({ setValuesCalls: 2, cellsWritten: 7, getValuesCalls: 1, cellsRead: 20 });
    // A refused write is still a call, but writes nothing.
    expect(() => rt.run('write', 'A1:B2', [[1]])).toThrow();
    expect(rt.spreadsheet.stats.cellsWritten).toBe(7);
  });

  test('"=" stores a formula (not evaluated), "\'" keeps text, numeric text becomes a number unless formatted as text', () => {
    const rt = runtime(sheetScript + `function textFormat() { sheet().getRange('C1').setNumberFormat('@'); sheet().getRange('C1').setValue('00123'); }`);
    rt.run('write', 'A1:B3', [['=SUM(1,2)', "'=not a formula"], ["'00123", '00123'], ['TRUE', 'hello']]);
    expect(rt.run('read', 'A1:B3')).toEqual([['=SUM(1,2)', '=not a formula'], ['00123', 123], [true, 'hello']]);
    expect(rt.run('formulas', 'A1:B3')).toEqual([['=SUM(1,2)', ''], ['', ''], ['', '']]);
    rt.run('textFormat');
    expect(rt.run('read', 'C1')).toEqual([['00123']]);
  });

  test('getValues returns arrays of the script realm and Dates as Dates', () => {
    const rt = runtime(sheetScript + 'function check() { sheet().getRange("A1").setValue(new Date(0)); var v = sheet().getRange("A1:B1").getValues(); return [v instanceof Array, v[0] instanceof Array, v[0][0] instanceof Date, v[0][1]]; }');
    expect(rt.run('check')).toEqual([true, true, true, '']);
  });

  test('number formats drive display values', () => {
    const rt = runtime(sheetScript + `function fmt() { var r = sheet().getRange('A1:C1'); r.setValues([[1234.5, 0.256, -3]]); r.setNumberFormats([['#,##0.00', '0.0%', '"$"0.00']]); return [r.getDisplayValues(), r.getNumberFormats(), sheet().getRange('D1').getNumberFormat()]; }`);
    expect(rt.run('fmt')).toEqual([[['1,234.50', '25.6%', '-$3.00']], [['#,##0.00', '0.0%', '"$"0.00']], '0.###############']);
  });

  test('grid size, A1 notation, last row and column, inserting and deleting rows', () => {
    const rt = runtime(sheetScript + `
      function grid() {
        var s = sheet();
        var out = [s.getMaxRows(), s.getMaxColumns(), s.getLastRow(), s.getLastColumn()];
        s.getRange(3, 2, 2, 3).setValues([[1, 2, 3], [4, 5, 6]]);
        out.push(s.getLastRow(), s.getLastColumn(), s.getRange(3, 2, 2, 3).getA1Notation(), s.getRange('B3:D4').getNumRows());
        try { s.getRange(1001, 1); } catch (e) { out.push(e.message); }
        s.insertRows(1, 2);
        out.push(s.getMaxRows(), s.getRange('B5').getValue());
        s.deleteRows(1, 2);
        s.appendRow(['x']);
        out.push(s.getMaxRows(), s.getLastRow());
        s.setFrozenRows(1);
        out.push(s.getFrozenRows());
        return out;
      }`);
    expect(rt.run('grid')).toEqual([1000, 26, 0, 0, 4, 4, 'B3:D4', 2, 'The coordinates of the range are outside the dimensions of the sheet.', 1002, 1, 1000, 5, 1]);
  });

  test('the workbook holds at most 10,000,000 cells', () => {
    const rt = runtime(`
      function grow(n) { SpreadsheetApp.getActive().getSheets()[0].insertRowsAfter(1000, n); }
      function another() { return SpreadsheetApp.getActive().insertSheet('More').getName(); }`);
    // 1000 × 26 cells now; 384,000 × 26 more reaches 9,984,000 + 26,000 = 10,010,000: too many.
    expect(() => rt.run('grow', 384_000)).toThrow('This action would increase the number of cells in the workbook above the limit of 10000000 cells.');
    rt.run('grow', 382_000); // 9,958,000 cells
    expect(rt.spreadsheet._cellCount()).toBe(9_958_000);
    expect(rt.run('another')).toBe('More'); // + 26,000 = 9,984,000
    expect(() => rt.run('another')).toThrow('A sheet with the name "More" already exists. Please enter another name.');
    expect(() => rt.run('grow', 1000)).toThrow('above the limit of 10000000 cells');
  });

  test('sheets, named ranges, conditional formats, charts and protection', () => {
    const rt = runtime(`
      function setup() {
        var ss = SpreadsheetApp.getActiveSpreadsheet();
        var s = ss.insertSheet('Orders');
        s.getRange('A1:B2').setValues([['a', 1], ['b', 2]]);
        ss.setNamedRange('ORDERS', s.getRange('A1:B2'));
        var rule = SpreadsheetApp.newConditionalFormatRule().whenNumberLessThan(0).setBackground('#f4cccc').setRanges([s.getRange('B1:B2')]).build();
        var gradient = SpreadsheetApp.newConditionalFormatRule().setGradientMinpoint('#ffffff').setGradientMaxpoint('#00ff00').setRanges([s.getRange('B1:B2')]).build();
        s.setConditionalFormatRules([rule, gradient]);
        s.insertChart(s.newChart().setChartType(Charts.ChartType.LINE).addRange(s.getRange('A1:B2')).setOption('title', 'CM').setPosition(1, 4, 0, 0).build());
        s.protect().setDescription('generated').setWarningOnly(true);
        s.getRange('A1:B1').setFontWeight('bold');
        return [ss.getRangeByName('ORDERS').getValues(), ss.getNamedRanges()[0].getName(), s.getConditionalFormatRules().length, s.getCharts()[0].getRanges()[0].getA1Notation(), ss.getRangeByName('NONE'), ss.getSheets().map(function (x) { return x.getName(); })];
      }
      function drop() { var ss = SpreadsheetApp.getActive(); ss.deleteSheet(ss.getSheetByName('Orders')); ss.deleteSheet(ss.getSheets()[0]); }`);
    expect(rt.run('setup')).toEqual([[['a', 1], ['b', 2]], 'ORDERS', 2, 'A1:B2', null, ['Sheet1', 'Orders']]);
    const orders = rt.spreadsheet.getSheetByName('Orders')!;
    const [rule, gradient] = orders.conditionalFormatRules;
    expect(rule.kind).toBe('boolean');
    expect(rule.calls.map((c) => [c.method, c.args[0]]).slice(0, 2)).toEqual([['whenNumberLessThan', 0], ['setBackground', '#f4cccc']]);
    expect(rule.ranges[0].getA1Notation()).toBe('B1:B2');
    expect(gradient.kind).toBe('gradient');
    expect(orders.charts[0].chartType).toBe('LINE');
    expect(orders.charts[0].options).toEqual({ title: 'CM' });
    expect(orders.protections[0].calls).toEqual([{ method: 'setDescription', args: ['generated'] }, { method: 'setWarningOnly', args: [true] }]);
    expect(orders.getRange('A1:C1').getFontWeights()).toEqual([['bold', 'bold', 'normal']]);
    expect(() => rt.run('drop')).toThrow("You can't remove all the sheets in a document.");
  });
});

describe('PropertiesService', () => {
  const script = `
    function setProp(store, key, value) { PropertiesService['get' + store + 'Properties']().setProperty(key, value); }
    function getProp(store, key) { return PropertiesService['get' + store + 'Properties']().getProperty(key); }
    function all(store) { return PropertiesService['get' + store + 'Properties']().getProperties(); }`;

  test('user, document and script stores are separate', () => {
    const rt = runtime(script);
    rt.run('setProp', 'User', 'k', 'u');
    rt.run('setProp', 'Document', 'k', 'd');
    expect([rt.run('getProp', 'User', 'k'), rt.run('getProp', 'Document', 'k'), rt.run('getProp', 'Script', 'k')]).toEqual(['u', 'd', null]);
    expect(rt.run('all', 'User')).toEqual({ k: 'u' });
  });

  test('a value above 9 KB is refused', () => {
    const rt = runtime(script);
    rt.run('setProp', 'User', 'ok', 'x'.repeat(9 * 1024));
    expect(() => rt.run('setProp', 'User', 'big', 'x'.repeat(9 * 1024 + 1))).toThrow('Argument too large: value');
    expect(rt.run('getProp', 'User', 'big')).toBeNull();
  });

  test('a store above 500 KB is refused, and nothing of the refused write is kept', () => {
    const rt = runtime(script + `function fill() { var p = PropertiesService.getScriptProperties(); for (var i = 0; i < 60; i++) p.setProperty('k' + i, new Array(9 * 1024 + 1).join('x')); }`);
    expect(() => rt.run('fill')).toThrow('You have exceeded the property storage quota. Please remove some properties and try again.');
    const size = rt.properties.script.size();
    expect(size).toBeLessThanOrEqual(500 * 1024);
    expect(rt.properties.script.map.size).toBe(55); // 55 × ~9 KB fit, the 56th does not
  });
});

describe('CacheService', () => {
  const script = `
    function put(key, value, ttl) { CacheService.getScriptCache().put(key, value, ttl); }
    function get(key) { return CacheService.getScriptCache().get(key); }`;

  test('values above 100 KB and keys above 250 characters are refused', () => {
    const rt = runtime(script);
    rt.run('put', 'k', 'x'.repeat(100 * 1024), 60);
    expect(() => rt.run('put', 'k2', 'x'.repeat(100 * 1024 + 1), 60)).toThrow('Argument too large: value');
    expect(() => rt.run('put', 'k'.repeat(251), 'v', 60)).toThrow('Argument too large: key');
  });

  test('entries expire by the runtime clock', () => {
    const clock = new ManualClock();
    const rt = runtime(script, { clock });
    rt.run('put', 'k', 'v', 10);
    clock.advance(9_000);
    expect(rt.run('get', 'k')).toBe('v');
    clock.advance(1_000);
    expect(rt.run('get', 'k')).toBeNull();
  });
});

describe('LockService', () => {
  test('two executions contend for the document lock', () => {
    const clock = new ManualClock();
    const rt = runtime('', { clock });
    const a = rt.begin();
    const b = rt.begin();
    expect(a.eval('LockService.getDocumentLock().tryLock(1000)')).toBe(true);
    const before = clock.nowMs();
    expect(b.eval('LockService.getDocumentLock().tryLock(2000)')).toBe(false);
    expect(clock.nowMs() - before).toBe(2000); // it waited its whole timeout
    expect(() => b.eval('LockService.getDocumentLock().waitLock(500)')).toThrow('Lock timeout: another process was holding the lock for too long.');
    expect([a.eval('LockService.getDocumentLock().hasLock()'), b.eval('LockService.getDocumentLock().hasLock()')]).toEqual([true, false]);
    // Other locks are independent.
    expect(b.eval('LockService.getUserLock().tryLock(0)')).toBe(true);
    a.eval('LockService.getDocumentLock().releaseLock()');
    expect(b.eval('LockService.getDocumentLock().tryLock(0)')).toBe(true);
    // Ending an execution releases what it still holds.
    b.end();
    expect(a.eval('LockService.getDocumentLock().tryLock(0) && LockService.getUserLock().tryLock(0)')).toBe(true);
    a.end();
  });
});

describe('Utilities', () => {
  test('computeHmacSha256Signature returns signed bytes equal to node:crypto', () => {
    const rt = runtime('function sign(v, k) { var b = Utilities.computeHmacSha256Signature(v, k); return [b instanceof Array, b]; }');
    const [isArray, bytes] = rt.run('sign', 'message €', 'secret') as [boolean, number[]];
    const expected = createHmac('sha256', 'secret').update('message €').digest();
    expect(isArray).toBe(true);
    expect(bytes.every((b) => b >= -128 && b <= 127)).toBe(true);
    expect(bytes.some((b) => b < 0)).toBe(true);
    expect(Buffer.from(bytes.map((b) => b & 0xff))).toEqual(expected);
  });

  test('base64 round trips, web-safe too', () => {
    const rt = runtime(`function b64(s) { var e = Utilities.base64Encode(s), w = Utilities.base64EncodeWebSafe(s); return [e, w, Utilities.newBlob(Utilities.base64Decode(e)).getDataAsString(), Utilities.newBlob(Utilities.base64DecodeWebSafe(w)).getDataAsString()]; }`);
    const s = '>>?? ünïcode';
    const std = Buffer.from(s).toString('base64');
    expect(std).toMatch(/[+/]/);
    expect(rt.run('b64', s)).toEqual([std, std.replace(/\+/g, '-').replace(/\//g, '_'), s, s]);
  });

  test('formatDate follows SimpleDateFormat patterns in a time zone', () => {
    const rt = runtime('function fmt(ms, tz, p) { return Utilities.formatDate(new Date(ms), tz, p); }');
    const t = Date.UTC(2026, 2, 5, 17, 4, 9, 7); // Thu 5 March 2026 17:04:09.007 UTC
    expect(rt.run('fmt', t, 'Etc/UTC', 'yyyy-MM-dd HH:mm:ss')).toBe('2026-03-05 17:04:09');
    expect(rt.run('fmt', t, 'Asia/Tokyo', "yyyy-MM-dd'T'HH:mm:ss.SSSXXX")).toBe('2026-03-06T02:04:09.007+09:00');
    expect(rt.run('fmt', t, 'America/Los_Angeles', 'EEE, d MMM yy h:mm a Z')).toBe('Thu, 5 Mar 26 9:04 AM -0800');
    expect(rt.run('fmt', t, 'UTC', "yyyyMMdd'T'HHmmssX")).toBe('20260305T170409Z');
    expect(rt.run('fmt', t, 'Europe/Paris', 'MMMM EEEE')).toBe('March Thursday');
  });

  test('parseCsv handles quotes, doubled quotes, separators and newlines inside quotes', () => {
    const rt = runtime('function csv(s, d) { return Utilities.parseCsv(s, d); }');
    expect(rt.run('csv', 'a,"b,c","say ""hi"""\r\n1,"multi\nline",\n')).toEqual([['a', 'b,c', 'say "hi"'], ['1', 'multi\nline', '']]);
    expect(rt.run('csv', 'x;"y;z"', ';')).toEqual([['x', 'y;z']]);
  });

  test('sleep advances the runtime clock; getUuid is a UUID', () => {
    const clock = new ManualClock();
    const rt = runtime('function nap() { var t = Date.now(); Utilities.sleep(1500); return [Date.now() - t, Utilities.getUuid()]; }', { clock });
    const [slept, uuid] = rt.run('nap') as [number, string];
    expect(slept).toBe(1500);
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('ScriptApp and Session', () => {
  test('triggers are recorded and deleted; at most 20', () => {
    const rt = runtime(`
      function schedule() { return ScriptApp.newTrigger('refresh').timeBased().everyHours(1).create().getUniqueId(); }
      function once() { ScriptApp.newTrigger('resume').timeBased().after(60000).create(); }
      function clear() { ScriptApp.getProjectTriggers().forEach(function (t) { ScriptApp.deleteTrigger(t); }); }
      function who() { return [Session.getActiveUser().getEmail(), Session.getScriptTimeZone(), ScriptApp.AuthMode.FULL]; }
      function token() { return ScriptApp.getOAuthToken(); }`, { user: 'seller@example.com' });
    rt.run('schedule');
    rt.run('once');
    expect(rt.triggers.map((t) => [t.handlerFunction, t.schedule])).toEqual([
      ['refresh', [{ method: 'everyHours', args: [1] }]],
      ['resume', [{ method: 'after', args: [60000] }]],
    ]);
    for (let i = 0; i < 18; i++) rt.run('once');
    expect(() => rt.run('once')).toThrow('This script has too many triggers.');
    rt.run('clear');
    expect(rt.triggers).toHaveLength(0);
    expect(rt.run('who')).toEqual(['seller@example.com', 'Etc/UTC', 'FULL']);
    expect(() => rt.run('token')).toThrow(/getOAuthToken is not available/);
  });
});

describe('UrlFetchApp over the synchronous transport', () => {
  let server: Worker;
  let base: string;

  beforeAll(async () => {
    // The transport blocks this thread, so the server lives in a worker.
    server = new Worker(
      `const http = require('node:http'); const { parentPort } = require('node:worker_threads');
       const s = http.createServer((req, res) => { let body = ''; req.on('data', (c) => body += c); req.on('end', () => {
         const code = Number(new URL(req.url, 'http://x').searchParams.get('code') || 200);
         res.writeHead(code, { 'content-type': 'application/json', 'x-echo': req.method });
         res.end(JSON.stringify({ method: req.method, body, type: req.headers['content-type'] || null })); }); });
       s.listen(0, '127.0.0.1', () => parentPort.postMessage(s.address().port));`,
      { eval: true },
    );
    const port = await new Promise<number>((resolve) => server.once('message', resolve));
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await server?.terminate();
  });

  test('responses, headers, muteHttpExceptions and fetchAll', async () => {
    const api = 'https://open-api.tiktokglobalshop.com';
    const rt = runtime(`
      function get(url, mute) { var r = UrlFetchApp.fetch(url, { muteHttpExceptions: mute }); return [r.getResponseCode(), JSON.parse(r.getContentText()).method, r.getHeaders()['X-Echo']]; }
      function post(url) { return JSON.parse(UrlFetchApp.fetch(url, { method: 'post', contentType: 'application/json', payload: '{"a":1}' }).getContentText()); }
      function both(a, b) { return UrlFetchApp.fetchAll([{ url: a, muteHttpExceptions: true }, b]).map(function (r) { return r.getResponseCode(); }); }`,
      // The manifest's urlFetchWhitelist holds the TikTok hosts only: the bundle asks for those, the local server answers.
      { hostMap: { [api]: base } },
    );
    try {
      expect(rt.run('get', `${api}/x`, false)).toEqual([200, 'GET', 'GET']);
      expect(rt.run('get', `${api}/x?code=404`, true)).toEqual([404, 'GET', 'GET']);
      expect(() => rt.run('get', `${api}/x?code=500`, false)).toThrow(`Request failed for ${api} returned code 500.`);
      expect(rt.run('post', `${api}/p`)).toEqual({ method: 'POST', body: '{"a":1}', type: 'application/json' });
      expect(rt.run('both', `${api}/a?code=429`, `${api}/b`)).toEqual([429, 200]);
      expect(() => rt.run('both', `${api}/a`, `${api}/b?code=403`)).toThrow('returned code 403');
      expect(rt.requests.length).toBe(8);
    } finally {
      await rt.close();
    }
  });
});

describe('execution budget', () => {
  const loop = `
    function fill(n) {
      var s = SpreadsheetApp.getActive().getSheets()[0];
      for (var i = 1; i <= n; i++) {
        s.getRange(i, 1).setValue(i);
        PropertiesService.getDocumentProperties().setProperty('cursor', String(i));
      }
      return 'done';
    }
    function stubborn(n) {
      var s = SpreadsheetApp.getActive().getSheets()[0];
      for (var i = 1; i <= n; i++) { try { s.getRange(i, 1).setValue(i); } catch (e) { /* swallowed */ } }
      return 'done';
    }`;

  test('a run past its deadline is killed mid-loop; earlier writes stay', () => {
    // Every service call costs 1 s of the runtime clock; the budget is 10 s.
    const rt = runtime(loop, { msPerCall: 1000 });
    const run = () => rt.run('fill', 100, runOptions({ budgetMs: 10_000 }));
    expect(run).toThrow(ExecutionKilledError);
    expect(run).toThrow('Exceeded maximum execution time');
    const values = rt.spreadsheet.sheets[0].getRange('A1:A100').getValues().flat();
    const written = values.filter((v) => v !== '').length;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(100);
    expect(values.slice(0, written)).toEqual(Array.from({ length: written }, (_, i) => i + 1));
    expect(Number(rt.properties.document.map.get('cursor'))).toBeGreaterThanOrEqual(written - 1);
  });

  test('the default budget is 6 minutes of the runtime clock', () => {
    const clock = new ManualClock();
    const rt = runtime('function nap(ms) { Utilities.sleep(ms); return "awake"; } function naps() { Utilities.sleep(300000); Utilities.sleep(300000); return "awake"; }', { clock });
    expect(rt.run('nap', 300_000)).toBe('awake');
    let start = clock.nowMs();
    expect(() => rt.run('naps')).toThrow('Exceeded maximum execution time');
    expect(clock.nowMs() - start).toBe(360_000);
    start = clock.nowMs();
    expect(() => rt.run('nap', 300_000, runOptions({ budgetMs: 120_000 }))).toThrow('Exceeded maximum execution time');
    expect(clock.nowMs() - start).toBe(120_000);
  });

  test('a clock with charge() pays msPerCall there (virtual) and keeps sleep for Utilities.sleep', () => {
    const charged: number[] = [];
    const slept: number[] = [];
    let now = Date.UTC(2026, 0, 1);
    const clock = { nowMs: () => now, sleep: (ms: number) => { slept.push(ms); now += ms; }, charge: (ms: number) => { charged.push(ms); now += ms; } };
    const rt = runtime('function go() { PropertiesService.getUserProperties().setProperty("a", "1"); Utilities.sleep(250); return "ok"; }', { clock, msPerCall: 40 });
    expect(rt.run('go')).toBe('ok');
    expect(slept).toEqual([250]);
    expect(charged.length).toBeGreaterThanOrEqual(2);
    expect(charged.every((ms) => ms === 40)).toBe(true);
  });

  test('catching the error does not save the execution', () => {
    const rt = runtime(loop);
    expect(() => rt.run('stubborn', 50, runOptions({ killAfterCalls: 20 }))).toThrow(ExecutionKilledError);
    // 2 calls to reach the sheet, then 2 per row: rows 1-9 written, the rest all failed.
    expect(rt.spreadsheet.sheets[0].getLastRow()).toBe(9);
  });

  test('kill after N service calls, at every point', () => {
    // fill(5) makes 4 calls per row (getActive, getSheets, then getRange+setValue, getDocumentProperties+setProperty).
    for (let n = 0; n < 22; n++) {
      const rt = runtime(loop);
      expect(() => rt.run('fill', 5, runOptions({ killAfterCalls: n }))).toThrow(ExecutionKilledError);
      const rows = rt.spreadsheet.sheets[0].getLastRow();
      const cursor = Number(rt.properties.document.map.get('cursor') ?? 0);
      expect(cursor === rows || cursor === rows - 1).toBe(true);
    }
    expect(runtime(loop).run('fill', 5, runOptions({ killAfterCalls: 22 }))).toBe('done');
  });

  test('with the wall clock, a loop without service calls is stopped too', () => {
    const rt = new GasRuntime({ code: 'function spin() { for (;;) {} }', distDir: built.outdir });
    expect(() => rt.run('spin', runOptions({ budgetMs: 200 }))).toThrow(ExecutionKilledError);
    // With a ManualClock the wall-time safety net stops it.
    const manual = new GasRuntime({ code: 'function spin() { for (;;) {} }', distDir: built.outdir, clock: new ManualClock(), wallTimeoutMs: 200 });
    expect(() => manual.run('spin')).toThrow('Exceeded maximum execution time');
  });

  test('each execution re-evaluates the script: globals do not survive, state does', () => {
    const rt = runtime('var counter = 0; function bump() { counter++; CacheService.getScriptCache().put("c", String(counter)); return counter; }');
    expect([rt.run('bump'), rt.run('bump')]).toEqual([1, 1]);
    const ex = rt.begin();
    expect(vm.isContext(ex.context)).toBe(true);
    expect(ex.eval('counter')).toBe(0);
    ex.end();
    expect(rt.caches.script.map.get('c')?.value).toBe('1');
  });
});
