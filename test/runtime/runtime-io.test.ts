/**
 * The local Apps Script runtime's outward edges: the workbook saved as .xlsx (read back with
 * exceljs), UrlFetchApp's manifest whitelist and host map, the OAuth usercallback with state
 * tokens, and the scoping of PropertiesService's stores.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { HttpRequest, HttpResponse, Transport } from '../../src/tiktok/ports';
import {
  GasRuntime,
  INVALID_STATE_MESSAGE,
  ManualClock,
  mapHost,
  SpreadsheetModel,
  toWorkbook,
  UserCallbackError,
  whitelistMatches,
  whitelistPrefixProblem,
  type GasRuntimeOptions,
} from '../../dev/runtime/gas';
import type { HtmlOutputModel } from '../../dev/runtime/gas/services';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gas-runtime-io-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WHITELIST = ['https://open-api.tiktokglobalshop.com/', 'https://auth.tiktok-shops.com/', 'https://business-api.tiktok.com/'];

/** A runtime over `code` alone (no bundle needed), with a manifest by default. */
function runtime(code: string, options: GasRuntimeOptions = {}) {
  return new GasRuntime({ code, distDir: dir, clock: new ManualClock(), manifest: { urlFetchWhitelist: WHITELIST }, ...options });
}

/** A transport that answers 200 with the URL it was sent to, and records what it got. */
class EchoTransport implements Transport {
  readonly sent: HttpRequest[] = [];
  fetch(request: HttpRequest): HttpResponse {
    return this.fetchAll([request])[0];
  }
  fetchAll(requests: HttpRequest[]): HttpResponse[] {
    this.sent.push(...requests);
    return requests.map((r) => ({ status: /code=500/.test(r.url) ? 500 : 200, headers: { 'content-type': 'text/plain' }, body: r.url }));
  }
}

describe('saveXlsx', () => {
  const script = `
    function build() {
      var ss = SpreadsheetApp.getActiveSpreadsheet();
      var s = ss.getSheets()[0];
      s.setName('Orders');
      s.getRange('A1:E1').setValues([['Order', 'Revenue', 'Paid', 'When', 'Total']]).setFontWeight('bold').setBackground('#E8EEF7').setWrap(true);
      s.getRange('B1').setNote('Revenue after discounts.');
      s.getRange('A2:E3').setValues([
        ['o-1', 1234.5, true, new Date(Date.UTC(2026, 0, 15, 12, 0, 0)), '=B2*2'],
        ['o-2', -3, false, new Date(Date.UTC(2026, 1, 1)), '=SUM(B2:B3)'],
      ]);
      s.getRange('B2:B3').setNumberFormat('#,##0.00');
      s.getRange('D2:D3').setNumberFormat('yyyy-mm-dd');
      s.getRange('A4').setValue("'=not a formula");
      s.setFrozenRows(1);
      s.setFrozenColumns(1);
      s.setColumnWidth(1, 140);
      ss.setNamedRange('OrdersBody', s.getRange('A2:E3'));
      var gradient = SpreadsheetApp.newConditionalFormatRule()
        .setGradientMinpointWithValue('#E67C73', SpreadsheetApp.InterpolationType.NUMBER, '-0.2')
        .setGradientMidpointWithValue('#FFFFFF', SpreadsheetApp.InterpolationType.NUMBER, '0')
        .setGradientMaxpoint('#57BB8A')
        .setRanges([s.getRange('B2:B3')]).build();
      var greater = SpreadsheetApp.newConditionalFormatRule().whenNumberGreaterThan(1000).setBackground('#B7E1CD').setBold(true).setRanges([s.getRange('B2:B3')]).build();
      var contains = SpreadsheetApp.newConditionalFormatRule().whenTextContains('o-').setFontColor('#FF0000').setRanges([s.getRange('A2:A3')]).build();
      var equal = SpreadsheetApp.newConditionalFormatRule().whenTextEqualTo('LOW').setBackground('#F4C7C3').setRanges([s.getRange('A2:A3')]).build();
      s.setConditionalFormatRules([gradient, greater, contains, equal]);
      var other = ss.insertSheet('Daily');
      other.getRange('A1:B2').setValues([['Day', 'Margin'], [new Date(Date.UTC(2026, 0, 1)), 0.25]]);
      other.getRange('B2').setNumberFormat('0.0%');
      other.insertChart(other.newChart().asLineChart().addRange(other.getRange('A1:B2')).setPosition(4, 1, 0, 0).setOption('title', 'Margin by day').build());
      ss.insertSheet('Hidden').hideSheet();
    }`;

  test('round-trips values, formulas, formats, frozen panes, widths, defined names, conditional formats, fills and notes; charts are real charts', async () => {
    const rt = runtime(script);
    rt.run('build');
    const file = join(dir, 'book.xlsx');
    await rt.saveXlsx(file);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Orders', 'Daily', 'Hidden']);
    expect(wb.getWorksheet('Hidden')!.state).toBe('hidden');

    const ws = wb.getWorksheet('Orders')!;
    expect(ws.getCell('A1').value).toBe('Order');
    expect(ws.getCell('A1').font?.bold).toBe(true);
    expect(ws.getCell('A1').fill).toMatchObject({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } });
    expect(ws.getCell('A1').alignment).toMatchObject({ wrapText: true });
    expect(ws.getCell('B1').note).toBe('Revenue after discounts.');
    expect(ws.getCell('B2').value).toBe(1234.5);
    expect(ws.getCell('B2').numFmt).toBe('#,##0.00');
    expect(ws.getCell('C2').value).toBe(true);
    expect(ws.getCell('C3').value).toBe(false);
    expect(ws.getCell('D2').value).toEqual(new Date(Date.UTC(2026, 0, 15, 12, 0, 0)));
    expect(ws.getCell('D2').numFmt).toBe('yyyy-mm-dd');
    // Formulas stay formulas (no cached result: the model does not evaluate them).
    expect(ws.getCell('E2').formula).toBe('B2*2');
    expect(ws.getCell('E3').formula).toBe('SUM(B2:B3)');
    // Text that only looks like a formula stays text.
    expect(ws.getCell('A4').value).toBe('=not a formula');
    expect(ws.getCell('A4').formula).toBeUndefined();
    expect(ws.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 1 });
    expect(ws.getColumn(1).width).toBe(20);

    expect(wb.definedNames.model).toEqual([{ name: 'OrdersBody', ranges: ['Orders!$A$2:$E$3'] }]);

    const cf = (ws as unknown as { conditionalFormattings: { ref: string; rules: Record<string, unknown>[] }[] }).conditionalFormattings;
    expect(cf.map((c) => c.ref)).toEqual(['B2:B3', 'B2:B3', 'A2:A3', 'A2:A3']);
    expect(cf[0].rules[0]).toMatchObject({
      type: 'colorScale',
      cfvo: [{ type: 'num', value: -0.2 }, { type: 'num', value: 0 }, { type: 'max' }],
      color: [{ argb: 'FFE67C73' }, { argb: 'FFFFFFFF' }, { argb: 'FF57BB8A' }],
    });
    expect(cf[1].rules[0]).toMatchObject({ type: 'cellIs', operator: 'greaterThan', formulae: ['1000'] });
    expect(cf[1].rules[0].style).toMatchObject({ fill: { bgColor: { argb: 'FFB7E1CD' } }, font: { bold: true } });
    expect(cf[2].rules[0]).toMatchObject({ type: 'containsText', operator: 'containsText', formulae: ['NOT(ISERROR(SEARCH("o-",A2)))'] });
    expect(cf[2].rules[0].style).toMatchObject({ font: { color: { argb: 'FFFF0000' } } });
    expect(cf[3].rules[0]).toMatchObject({ type: 'cellIs', operator: 'equal', formulae: ['"LOW"'] });

    const daily = wb.getWorksheet('Daily')!;
    expect(daily.getCell('B2').value).toBe(0.25);
    expect(daily.getCell('B2').numFmt).toBe('0.0%');
    expect(daily.getCell('A2').value).toEqual(new Date(Date.UTC(2026, 0, 1)));

    // The chart is a chart part anchored at row 4, column A of Daily, drawing B2 against A2.
    const zip = unzipSync(readFileSync(file));
    const chart = strFromU8(zip['xl/charts/chart1.xml']);
    expect(chart).toContain('<c:lineChart>');
    expect(chart).toContain("<c:f>'Daily'!$B$2:$B$2</c:f>");
    expect(chart).toContain("<c:f>'Daily'!$A$2:$A$2</c:f>");
    expect(chart).toContain('Margin by day');
    const drawing = strFromU8(zip['xl/drawings/drawing1.xml']);
    expect(drawing).toMatch(/<xdr:from><xdr:col>0<\/xdr:col><xdr:colOff>0<\/xdr:colOff><xdr:row>3<\/xdr:row>/);
    const sheetXml = Object.keys(zip).filter((k) => /^xl\/worksheets\/sheet\d+\.xml$/.test(k)).map((k) => strFromU8(zip[k]));
    expect(sheetXml.filter((x) => x.includes('<drawing r:id=')).length).toBe(1);
    expect(strFromU8(zip['[Content_Types].xml'])).toContain('/xl/charts/chart1.xml');
  });

  test('defined names on sheets whose names need quoting', async () => {
    const ss = new SpreadsheetModel('id', 'Book');
    const s = ss.insertSheet("Bob's tab");
    s.getRange('A1:B2').setValues([[1, 2], [3, 4]]);
    ss.setNamedRange('Body', s.getRange('A1:B2'));
    ss.setNamedRange('Corner', s.getRange('B2'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await toWorkbook(ss).xlsx.writeBuffer()) as ArrayBuffer);
    expect(wb.definedNames.model).toEqual([
      { name: 'Body', ranges: ["'Bob''s tab'!$A$1:$B$2"] },
      { name: 'Corner', ranges: ["'Bob''s tab'!$B$2"] },
    ]);
  });

  test('a sheet name Excel cannot hold is refused rather than silently truncated', async () => {
    const rt = runtime(`function longName() { SpreadsheetApp.getActive().getSheets()[0].setName('A sheet name longer than thirty-one characters'); }`);
    rt.run('longName');
    await expect(rt.saveXlsx(join(dir, 'bad.xlsx'))).rejects.toThrow(/cannot be written to .xlsx/);
  });

  test('column widths are modelled: default 100 px, set, shifted by column insertion', () => {
    const rt = runtime(`function widths() { var s = SpreadsheetApp.getActive().getSheets()[0]; var out = [s.getColumnWidth(2)];
      s.setColumnWidths(2, 2, 60); out.push(s.getColumnWidth(2), s.getColumnWidth(3));
      s.insertColumnsBefore(1, 1); out.push(s.getColumnWidth(2), s.getColumnWidth(3), s.getColumnWidth(4));
      try { s.setColumnWidth(99, 10); } catch (e) { out.push(e.message); } return out; }`);
    expect(rt.run('widths')).toEqual([100, 60, 60, 100, 60, 60, 'Those columns are out of bounds.']);
  });
});

describe('UrlFetchApp: urlFetchWhitelist and hostMap', () => {
  const fetchScript = `
    function get(url) { return UrlFetchApp.fetch(url).getContentText(); }
    function all(urls) { return UrlFetchApp.fetchAll(urls).map(function (r) { return r.getContentText(); }); }
    function caught(url) { try { UrlFetchApp.fetch(url); return 'sent'; } catch (e) { return e.name + ': ' + e.message; } }`;

  test('the matching rules of the allowlist page', () => {
    expect(whitelistMatches('https://example.com/foo', 'https://example.com/foo')).toBe(true);
    expect(whitelistMatches('https://example.com/foo', 'https://example.com/foo/bar')).toBe(true);
    expect(whitelistMatches('https://example.com/foo', 'https://example.com/foo?bar')).toBe(true);
    expect(whitelistMatches('https://example.com/foo', 'https://example.com/foo#bar')).toBe(true);
    expect(whitelistMatches('https://example.com/foo', 'https://example.com/foobar')).toBe(false);
    expect(whitelistMatches('https://example.com/foo', 'https://example.com/Foo')).toBe(false);
    expect(whitelistMatches('https://example.com/foo', 'http://example.com/foo')).toBe(false);
    expect(whitelistMatches('https://*.example.com/foo', 'https://a.b.example.com/foo')).toBe(true);
    expect(whitelistMatches('https://*.example.com/foo', 'https://example.com/foo')).toBe(false);
    expect(whitelistMatches('https://*.example.com/foo', 'https://sub.example.com/bar')).toBe(false);
    expect(whitelistMatches('https://open-api.tiktokglobalshop.com/', 'https://open-api.tiktokglobalshop.com.evil.test/')).toBe(false);
    expect(whitelistPrefixProblem('https://www.google.com/')).toBeNull();
    expect(whitelistPrefixProblem('https://www.google.com')).toMatch(/non-empty path/);
    expect(whitelistPrefixProblem('http://www.google.com/')).toMatch(/HTTPS/);
    expect(whitelistPrefixProblem('https://*.*.example.com/foo')).toMatch(/wildcard/);
    expect(whitelistPrefixProblem('https://subdomain.*.example.com/foo')).toMatch(/wildcard/);
  });

  test('a URL outside the whitelist throws before anything is sent; inside it goes to the mapped host', () => {
    const transport = new EchoTransport();
    const sandbox = 'http://127.0.0.1:9999/sandbox';
    const rt = runtime(fetchScript, { transport, hostMap: { 'https://open-api.tiktokglobalshop.com': sandbox, 'https://auth.tiktok-shops.com/': sandbox } });
    expect(rt.run('caught', 'https://example.com/api')).toBe('Exception: Request to https://example.com/api failed because the URL has not been whitelisted in the script manifest.');
    // The sandbox itself is not whitelisted: the bundle must keep using the real hosts.
    expect(rt.run('caught', `${sandbox}/api`)).toMatch(/has not been whitelisted/);
    expect(transport.sent).toHaveLength(0);
    expect(rt.requests).toHaveLength(0);

    expect(rt.run('get', 'https://open-api.tiktokglobalshop.com/order/202309/orders/search?page_size=50')).toBe(`${sandbox}/order/202309/orders/search?page_size=50`);
    expect(rt.run('get', 'https://auth.tiktok-shops.com/api/v2/token/get?x=1')).toBe(`${sandbox}/api/v2/token/get?x=1`);
    // Whitelisted but not mapped: sent as is.
    expect(rt.run('get', 'https://business-api.tiktok.com/open_api/v1.3/x')).toBe('https://business-api.tiktok.com/open_api/v1.3/x');
    // What the script and rt.requests see is the real URL, errors too.
    expect(rt.requests.map((r) => r.url)).toEqual([
      'https://open-api.tiktokglobalshop.com/order/202309/orders/search?page_size=50',
      'https://auth.tiktok-shops.com/api/v2/token/get?x=1',
      'https://business-api.tiktok.com/open_api/v1.3/x',
    ]);
    expect(() => rt.run('get', 'https://open-api.tiktokglobalshop.com/x?code=500')).toThrow('Request failed for https://open-api.tiktokglobalshop.com returned code 500.');

    // fetchAll: one URL outside the list refuses the whole batch, nothing sent.
    const before = transport.sent.length;
    expect(() => rt.run('all', ['https://open-api.tiktokglobalshop.com/a', 'https://elsewhere.test/b'])).toThrow(/elsewhere\.test\/b failed because the URL has not been whitelisted/);
    expect(transport.sent.length).toBe(before);
    expect(rt.run('all', ['https://open-api.tiktokglobalshop.com/a', 'https://auth.tiktok-shops.com/b'])).toEqual([`${sandbox}/a`, `${sandbox}/b`]);
  });

  test('the manifest is read from distDir; without urlFetchWhitelist nothing is refused; a bad prefix is refused up front', () => {
    const withList = mkdtempSync(join(dir, 'manifest-'));
    writeFileSync(join(withList, 'appsscript.json'), JSON.stringify({ runtimeVersion: 'V8', urlFetchWhitelist: ['https://api.example.com/v1/'] }));
    const transport = new EchoTransport();
    const rt = new GasRuntime({ code: fetchScript, distDir: withList, clock: new ManualClock(), transport });
    expect(rt.manifest?.urlFetchWhitelist).toEqual(['https://api.example.com/v1/']);
    expect(rt.run('get', 'https://api.example.com/v1/x')).toBe('https://api.example.com/v1/x');
    expect(rt.run('caught', 'https://api.example.com/v2/x')).toMatch(/has not been whitelisted/);

    const open = runtime(fetchScript, { transport, manifest: { runtimeVersion: 'V8' } });
    expect(open.run('get', 'http://127.0.0.1:1/anything')).toBe('http://127.0.0.1:1/anything');

    expect(() => runtime(fetchScript, { manifest: { urlFetchWhitelist: ['https://open-api.tiktokglobalshop.com'] } })).toThrow(/non-empty path/);
  });

  test('mapHost keeps path, query and fragment and only touches the mapped origin', () => {
    const map = { 'https://a.example.com': 'http://127.0.0.1:1/base/' };
    expect(mapHost('https://a.example.com/x/y?z=1#f', map)).toBe('http://127.0.0.1:1/base/x/y?z=1#f');
    expect(mapHost('https://A.example.com?z=1', map)).toBe('http://127.0.0.1:1/base/?z=1');
    expect(mapHost('https://b.example.com/x', map)).toBe('https://b.example.com/x');
  });
});

describe('ScriptApp state tokens and the usercallback', () => {
  const oauth = `
    function authUrl() {
      var token = ScriptApp.newStateToken().withMethod('authCallback').withArgument('serviceName', 'tiktok').withTimeout(3600).createToken();
      return 'https://services.tiktokshop.com/open/authorize?service_id=1&state=' + encodeURIComponent(token);
    }
    function authCallback(request) {
      PropertiesService.getUserProperties().setProperty('code', request.parameter.code);
      var html = HtmlService.createHtmlOutput('Connected ' + request.parameter.serviceName + ' ' + JSON.stringify(request.parameters.code));
      return html;
    }
    function defaults() { return ScriptApp.newStateToken().createToken(); }
    function callback(request) { return HtmlService.createHtmlOutput('default ' + Object.keys(request.parameter).sort().join()); }
    function tooLong() { return ScriptApp.newStateToken().withTimeout(3601).createToken(); }
    function ids() { return ScriptApp.getScriptId(); }`;

  const stateOf = (url: string) => decodeURIComponent(/state=([^&]+)/.exec(url)![1]);

  test('the callback runs the token method in a new execution with parameter and parameters', () => {
    const rt = runtime(oauth);
    const token = stateOf(rt.run('authUrl') as string);
    // Opaque: nothing of the method or arguments is readable in it.
    expect(token).not.toMatch(/authCallback|serviceName|tiktok/);
    expect(Buffer.from(token, 'base64url').toString('latin1')).not.toMatch(/authCallback|tiktok/);
    const out = rt.userCallback({ state: token, code: 'AUTH-CODE' }) as HtmlOutputModel;
    expect(out.getContent()).toBe('Connected tiktok ["AUTH-CODE"]');
    expect(rt.properties.user.map.get('code')).toBe('AUTH-CODE');
    expect(rt.run('ids')).toBe(rt.scriptId);
    expect(rt.userCallbackUrl()).toBe(`https://script.google.com/macros/d/${rt.scriptId}/usercallback`);
  });

  test('unknown, missing, expired and other users\' tokens are refused without running anything', () => {
    const rt = runtime(oauth);
    const token = stateOf(rt.run('authUrl') as string);
    expect(() => rt.userCallback({ code: 'x' })).toThrow(INVALID_STATE_MESSAGE);
    expect(() => rt.userCallback({ state: token + 'x', code: 'x' })).toThrow(UserCallbackError);
    rt.setActiveUser('someone-else@example.com');
    expect(() => rt.userCallback({ state: token, code: 'x' })).toThrow(INVALID_STATE_MESSAGE);
    rt.setActiveUser('user@example.com');
    (rt.clock as ManualClock).advance(3600 * 1000);
    expect(() => rt.userCallback({ state: token, code: 'x' })).toThrow(INVALID_STATE_MESSAGE);
    expect(rt.properties.user.map.has('code')).toBe(false);
  });

  test('defaults: method callback(), 60 seconds; timeouts above 3600 s are refused', () => {
    const rt = runtime(oauth);
    const token = rt.run('defaults') as string;
    (rt.clock as ManualClock).advance(59_000);
    expect((rt.userCallback({ state: token, code: 'c' }) as HtmlOutputModel).getContent()).toBe('default code,state');
    (rt.clock as ManualClock).advance(1_000);
    expect(() => rt.userCallback({ state: token })).toThrow(INVALID_STATE_MESSAGE);
    expect(() => rt.run('tooLong')).toThrow('Invalid argument: seconds');
  });
});

describe('PropertiesService scoping', () => {
  const props = `
    function put(v) {
      PropertiesService.getDocumentProperties().setProperty('k', 'doc-' + v);
      PropertiesService.getUserProperties().setProperty('k', 'user-' + v);
      PropertiesService.getScriptProperties().setProperty('k', 'script-' + v);
    }
    function read() { return [PropertiesService.getDocumentProperties().getProperty('k'), PropertiesService.getUserProperties().getProperty('k'), PropertiesService.getScriptProperties().getProperty('k')]; }`;

  test('document and script stores are shared by all users, user stores are per user', () => {
    const rt = runtime(props, { user: 'alice@example.com' });
    rt.run('put', 'a');
    expect(rt.properties.document.map.get('k')).toBe('doc-a');
    expect(rt.properties.user.map.get('k')).toBe('user-a');
    expect(rt.properties.script.map.get('k')).toBe('script-a');
    rt.setActiveUser('bob@example.com');
    expect(rt.run('read')).toEqual(['doc-a', null, 'script-a']);
    rt.run('put', 'b');
    expect(rt.properties.forUser('alice@example.com').map.get('k')).toBe('user-a');
    expect(rt.properties.forUser('bob@example.com').map.get('k')).toBe('user-b');
    expect(rt.properties.document.map.get('k')).toBe('doc-b');
    expect(rt.properties.users()).toEqual(['alice@example.com', 'bob@example.com']);
  });
});
