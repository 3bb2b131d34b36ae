import ExcelJS from 'exceljs';
import { strToU8, zipSync } from 'fflate';
import { ExportFileError, excelSerialToUtcMs, isDateFormatCode, readExportFile } from '../../src/imports/files';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const csv = (name: string, text: string) => readExportFile(name, utf8(text));
const noDates = (rows: string[][]) => rows.map((r) => r.map(() => false));

describe('CSV', () => {
  it('reads RFC 4180 quoting: doubled quotes, separators and newlines inside quotes, spaces kept', () => {
    const text = 'Order ID,Product name,Seller Note\r\n' + '576,"Shirt, ""red""","  two\r\nlines  "\r\n' + '577,Cap,\r\n';
    expect(csv('orders.csv', text)).toEqual({
      format: 'csv',
      date1904: false,
      sheets: [
        {
          name: 'orders',
          rows: [
            ['Order ID', 'Product name', 'Seller Note'],
            ['576', 'Shirt, "red"', '  two\nlines  '],
            ['577', 'Cap', ''],
          ],
          dates: noDates([[ '', '', '' ], [ '', '', '' ], [ '', '', '' ]]),
        },
      ],
    });
  });

  it('strips a UTF-8 BOM, accepts \\n endings with or without a trailing newline, and pads short rows', () => {
    const expected = [
      ['Ä', 'b', 'c'],
      ['1', '', ''],
      ['', '', ''],
      ['2', '3', '4'],
    ];
    expect(csv('x.csv', '\uFEFFÄ,b,c\n1\n\n2,3,4\n').sheets[0].rows).toEqual(expected);
    expect(csv('x.csv', 'Ä,b,c\n1\n\n2,3,4').sheets[0].rows).toEqual(expected);
    expect(csv('x.csv', 'Ä,b,c\r\n1\r\n\r\n2,3,4\r\n\r\n').sheets[0].rows).toEqual(expected);
  });

  it('keeps unquoted spaces and stray quotes inside unquoted fields as they are', () => {
    expect(csv('x.csv', 'a, b ,c"d\n').sheets[0].rows).toEqual([['a', ' b ', 'c"d']]);
    // A space before an opening quote is dropped; text after a closing quote is kept.
    expect(csv('x.csv', 'a, "b,c" ,"x"y\n').sheets[0].rows).toEqual([['a', 'b,c', 'xy']]);
  });

  it('detects ";" and tab separators when the header line has no comma', () => {
    expect(csv('eu.csv', 'Amount;Note\n"1,50";"a;b"\n').sheets[0].rows).toEqual([
      ['Amount', 'Note'],
      ['1,50', 'a;b'],
    ]);
    expect(csv('t.tsv', 'Amount\tNote\n1,50\t"x\ty"\n').sheets[0].rows).toEqual([
      ['Amount', 'Note'],
      ['1,50', 'x\ty'],
    ]);
    // A comma in the header wins, even with semicolons in the data.
    expect(csv('c.csv', 'a,b\n1;2,3\n').sheets[0].rows).toEqual([
      ['a', 'b'],
      ['1;2', '3'],
    ]);
  });

  it('reports an unclosed quote with the line where it opens', () => {
    const lines = ['Order ID,Note'];
    for (let i = 2; i <= 16; i++) lines.push(`${i},"ok\nstill ok"`); // each row spans two lines
    lines.push('99,"never closed');
    lines.push('100,x');
    const text = lines.join('\n');
    expect(() => csv('orders.csv', text)).toThrow(ExportFileError);
    expect(() => csv('orders.csv', text)).toThrow('orders.csv, line 32: a quoted field is not closed');
    expect(() => csv('orders.csv', 'a,b\n1,2\n"x,3\n')).toThrow('orders.csv, line 3: a quoted field is not closed');
  });

  it('reads UTF-16 with a BOM, and bytes that are not UTF-8 as Windows-1252', () => {
    const text = 'Name,Price\nCafé,€5\n';
    const le = new Uint8Array(2 + text.length * 2);
    le[0] = 0xff;
    le[1] = 0xfe;
    for (let i = 0; i < text.length; i++) le[2 + 2 * i] = text.charCodeAt(i) & 0xff, (le[3 + 2 * i] = text.charCodeAt(i) >> 8);
    expect(readExportFile('u16.csv', le).sheets[0].rows).toEqual([
      ['Name', 'Price'],
      ['Café', '€5'],
    ]);
    const cp1252 = Uint8Array.from([...'Name,Price\nCaf'].map((c) => c.charCodeAt(0)).concat([0xe9, 0x2c, 0x80, 0x35]));
    expect(readExportFile('win.csv', cp1252).sheets[0].rows).toEqual([
      ['Name', 'Price'],
      ['Café', '€5'],
    ]);
  });

  it('reads an empty file as an empty table', () => {
    expect(csv('empty.csv', '')).toEqual({ format: 'csv', date1904: false, sheets: [{ name: 'empty', rows: [], dates: [] }] });
  });
});

// ---------------------------------------------------------------------------------------------
// A hand-assembled .xlsx, written the way TikTok's files are: stale <dimension>, inline strings,
// shared strings with rich text runs, built-in and custom date formats.

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function zipOf(parts: Record<string, string>): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(parts)) files[k] = strToU8(v);
  return zipSync(files);
}

function handMadeParts(): Record<string, string> {
  return {
    '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml':
      `<?xml version="1.0" encoding="UTF-8"?><workbook ${NS} ${RNS}><workbookPr/><!-- a comment <sheet name="no"/> -->` +
      '<sheets><sheet name="Order details" sheetId="1" r:id="rId1"/><sheet name="Empty" sheetId="2" r:id="rId2"/>' +
      '<sheet name="Withdrawal records" sheetId="3" r:id="rId3"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels':
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      `<Relationship Id="rId3" Type="${REL}/worksheet" Target="/xl/worksheets/sheet3.xml"/>` +
      `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
      `<Relationship Id="rId2" Type="${REL}/worksheet" Target="./worksheets/../worksheets/sheet2.xml"/>` +
      `<Relationship Id="rId4" Type="${REL}/styles" Target="styles.xml"/>` +
      `<Relationship Id="rId5" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    'xl/sharedStrings.xml':
      `<sst ${NS} count="4" uniqueCount="4">` +
      '<si><t>Order/adjustment ID</t></si>' +
      '<si><r><rPr><b/><sz val="11"/></rPr><t xml:space="preserve">Total </t></r><r><t>settlement</t></r>' +
      '<r><t xml:space="preserve"> amount</t></r><rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si>' +
      '<si><t>A &amp; B &lt;x&gt; &quot;q&quot; &apos;s&apos; &#65;&#x42;&#x1F600;</t></si>' +
      '<si><t>two_x000D_\nlines</t></si>' +
      '<si><t/></si>' +
      '</sst>',
    'xl/styles.xml':
      `<styleSheet ${NS}><numFmts count="4">` +
      '<numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/>' +
      '<numFmt numFmtId="165" formatCode="0.00&quot; days&quot;"/>' +
      '<numFmt numFmtId="166" formatCode="[Red]#,##0.00;[Blue]\\-#,##0.00"/>' +
      '<numFmt numFmtId="167" formatCode="[h]:mm"/></numFmts>' +
      '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>' +
      '<cellXfs count="6"><xf numFmtId="0" xfId="0"/><xf numFmtId="14" xfId="0" applyNumberFormat="1"/>' +
      '<xf numFmtId="164" xfId="0"/><xf numFmtId="165" xfId="0"/><xf numFmtId="166" xfId="0"/><xf numFmtId="167" xfId="0"/></cellXfs>' +
      '</styleSheet>',
    'xl/worksheets/sheet1.xml':
      `<worksheet ${NS} ${RNS}><dimension ref="A1:B2"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>` +
      '<sheetData>' +
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>Created</t></is></c>' +
      '<c r="D1" t="inlineStr"><is><r><t>Sett</t></r><r><rPr><i/></rPr><t>led</t></r></is></c><c r="E1" t="s"><v>2</v></c></row>' +
      '<row r="2"><c r="A2" t="inlineStr"><is><t>576123456789012345</t></is></c><c r="B2"><v>12.5</v></c>' +
      '<c r="C2" s="1"><v>45292</v></c><c r="D2" s="2"><v>45292.5</v></c><c r="E2" t="s"><v>3</v></c></row>' +
      // Row 3 is missing; row 4 has cells without r (they follow on) and a gap at B.
      '<row r="4"><c t="b"><v>1</v></c><c r="C4" t="e"><v>#N/A</v></c><c s="3"><v>3</v></c><c s="4" t="n"><v>-7.25</v></c>' +
      '<c r="F4" s="5"><v>1.5</v></c><c r="G4" t="str"><f>A1&amp;"x"</f><v>Order/adjustment IDx</v></c></row>' +
      // Styled but empty cells, and an empty shared string, do not make the table bigger.
      '<row r="9" spans="1:12"><c r="H9" s="2"/><c r="L9" t="s"><v>4</v></c></row>' +
      '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>',
    'xl/worksheets/sheet2.xml': `<worksheet ${NS}><dimension ref="A1:Z99"/><sheetData/></worksheet>`,
    'xl/worksheets/sheet3.xml':
      `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>` +
      '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Transaction type</x:t></x:is></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>Amount</x:t></x:is></x:c></x:row>' +
      '<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t><![CDATA[Withdraw <&>]]></x:t></x:is></x:c><x:c r="B2"><x:v>-100</x:v></x:c></x:row>' +
      '</x:sheetData></x:worksheet>',
  };
}

describe('xlsx, hand-assembled', () => {
  it('reads every sheet in workbook order, sized from the cells present, not <dimension>', () => {
    const t = readExportFile('income.xlsx', zipOf(handMadeParts()));
    expect(t.format).toBe('xlsx');
    expect(t.date1904).toBe(false);
    expect(t.sheets.map((s) => s.name)).toEqual(['Order details', 'Empty', 'Withdrawal records']);
    const [orders, empty, withdrawals] = t.sheets;
    expect(orders.rows).toEqual([
      ['Order/adjustment ID', 'Total settlement amount', 'Created', 'Settled', 'A & B <x> "q" \'s\' AB😀', '', ''],
      ['576123456789012345', '12.5', '45292', '45292.5', 'two\r\nlines', '', ''],
      ['', '', '', '', '', '', ''],
      ['TRUE', '', '#N/A', '3', '-7.25', '1.5', 'Order/adjustment IDx'],
    ]);
    const F = false;
    expect(orders.dates).toEqual([
      [F, F, F, F, F, F, F],
      [F, F, true, true, F, F, F],
      [F, F, F, F, F, F, F],
      [F, F, F, F, F, true, F],
    ]);
    expect(empty).toEqual({ name: 'Empty', rows: [], dates: [] });
    expect(withdrawals.rows).toEqual([
      ['Transaction type', 'Amount'],
      ['Withdraw <&>', '-100'],
    ]);
  });

  it('reads the 1904 date system flag', () => {
    const parts = handMadeParts();
    parts['xl/workbook.xml'] = parts['xl/workbook.xml'].replace('<workbookPr/>', '<workbookPr date1904="1"/>');
    expect(readExportFile('mac.xlsx', zipOf(parts)).date1904).toBe(true);
  });

  it('works without sharedStrings.xml, styles.xml and _rels/.rels', () => {
    const parts = handMadeParts();
    delete parts['_rels/.rels'];
    delete parts['xl/styles.xml'];
    parts['xl/sharedStrings.xml'] = '<sst/>';
    parts['xl/worksheets/sheet1.xml'] = `<worksheet ${NS}><sheetData><row><c s="1"><v>45292</v></c><c t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>`;
    const orders = readExportFile('a.xlsx', zipOf(parts)).sheets[0];
    expect(orders.rows).toEqual([['45292', 'x']]);
    expect(orders.dates).toEqual([[false, false]]);
  });

  it('names the file and the problem', () => {
    expect(() => readExportFile('orders.xlsx', utf8('Order ID,Status\n'))).toThrow('orders.xlsx: not an .xlsx (zip) file');
    const truncated = zipOf(handMadeParts()).slice(0, 200);
    truncated[0] = 0x50;
    expect(() => readExportFile('orders.xlsx', truncated)).toThrow(/^orders\.xlsx: not an \.xlsx \(zip\) file/);
    expect(() => readExportFile('old.xls', Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toThrow(
      /^old\.xls: an old-style \.xls or password-protected workbook/,
    );
    expect(() => readExportFile('export.zip', zipOf({ 'orders.csv': 'a,b\n' }))).toThrow(
      'export.zip: a zip file but not an .xlsx workbook (it has no xl/workbook.xml)',
    );

    const missing = handMadeParts();
    delete missing['xl/worksheets/sheet1.xml'];
    expect(() => readExportFile('orders.xlsx', zipOf(missing))).toThrow('orders.xlsx: sheet "Order details" is missing its data');

    const noData = handMadeParts();
    noData['xl/worksheets/sheet3.xml'] = `<worksheet ${NS}><dimension ref="A1"/></worksheet>`;
    expect(() => readExportFile('orders.xlsx', zipOf(noData))).toThrow('orders.xlsx: sheet "Withdrawal records" is missing its data');

    const badIndex = handMadeParts();
    badIndex['xl/worksheets/sheet2.xml'] = `<worksheet ${NS}><sheetData><row r="3"><c r="B3" t="s"><v>40</v></c></row></sheetData></worksheet>`;
    expect(() => readExportFile('orders.xlsx', zipOf(badIndex))).toThrow(
      'orders.xlsx: sheet "Empty" cell B3 refers to shared text 40, but the workbook has 5',
    );

    const broken = handMadeParts();
    broken['xl/worksheets/sheet2.xml'] = `<worksheet ${NS}><sheetData><row r="1"><c r="A1"`;
    expect(() => readExportFile('orders.xlsx', zipOf(broken))).toThrow(
      'orders.xlsx: the workbook part xl/worksheets/sheet2.xml is damaged (an unclosed tag)',
    );
  });
});

describe('number formats', () => {
  it('tells date and time format codes from amounts', () => {
    for (const code of ['yyyy-mm-dd', 'd/m/yyyy', 'hh:mm:ss', '[h]:mm', '[$-409]mmm d, yyyy', 'yyyy\\-mm\\-dd', 'm/d/yy h:mm AM/PM']) {
      expect([code, isDateFormatCode(code)]).toEqual([code, true]);
    }
    for (const code of ['General', '0.00', '#,##0.00', '"days" 0', '[Red]#,##0;[Blue]-#,##0', '[$$-409]#,##0.00', '0.00E+00', '_(* #,##0_)', '@']) {
      expect([code, isDateFormatCode(code)]).toEqual([code, false]);
    }
  });

  it('turns serials into UTC times in both date systems', () => {
    expect(new Date(excelSerialToUtcMs(45292.5)).toISOString()).toBe('2024-01-01T12:00:00.000Z');
    expect(new Date(excelSerialToUtcMs(43830, true)).toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });
});

describe('xlsx written by exceljs', () => {
  it('reads shared strings, rich text, numbers, booleans, dates and several sheets', async () => {
    const wb = new ExcelJS.Workbook();
    const orders = wb.addWorksheet('Order details');
    orders.addRow(['Order/adjustment ID', 'Type', 'Order created time', 'Total settlement amount', 'Paid']);
    orders.addRow(['576000000000000001', 'Order', new Date(Date.UTC(2024, 0, 1, 12)), 12.5, true]);
    orders.addRow(['576000000000000002', { richText: [{ text: 'Re', font: { bold: true } }, { text: 'fund' }] }, new Date(Date.UTC(2024, 1, 29)), -3.75, false]);
    orders.getCell('C2').numFmt = 'yyyy-mm-dd hh:mm';
    orders.getCell('D3').numFmt = '#,##0.00';
    orders.getCell('G5').value = 'far cell';
    wb.addWorksheet('Reports');
    const w = wb.addWorksheet('Withdrawal records');
    w.addRow(['Transaction type', 'Amount']);
    w.addRow(['Withdraw', 100]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());

    const t = readExportFile('income.xlsx', bytes);
    expect(t.format).toBe('xlsx');
    expect(t.sheets.map((s) => s.name)).toEqual(['Order details', 'Reports', 'Withdrawal records']);
    expect(t.sheets[0].rows).toEqual([
      ['Order/adjustment ID', 'Type', 'Order created time', 'Total settlement amount', 'Paid', '', ''],
      ['576000000000000001', 'Order', '45292.5', '12.5', 'TRUE', '', ''],
      ['576000000000000002', 'Refund', '45351', '-3.75', 'FALSE', '', ''],
      ['', '', '', '', '', '', ''],
      ['', '', '', '', '', '', 'far cell'],
    ]);
    const F = false;
    expect(t.sheets[0].dates).toEqual([
      [F, F, F, F, F, F, F],
      [F, F, true, F, F, F, F],
      [F, F, true, F, F, F, F],
      [F, F, F, F, F, F, F],
      [F, F, F, F, F, F, F],
    ]);
    expect(t.sheets[1]).toEqual({ name: 'Reports', rows: [], dates: [] });
    expect(t.sheets[2].rows).toEqual([
      ['Transaction type', 'Amount'],
      ['Withdraw', '100'],
    ]);
  });
});
