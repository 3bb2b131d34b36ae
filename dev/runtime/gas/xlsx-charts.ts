/**
 * Embedded charts of the spreadsheet model written into an .xlsx as real spreadsheet charts
 * (DrawingML), since exceljs writes none: the file exceljs made is opened (fflate), and per sheet
 * with charts a drawing part anchors each chart at its Sheets anchor (row, column, pixel offset,
 * width and height), each chart part draws the chart type with its data ranges as cell
 * references (and the values cached, so a reader that does not recalculate shows them too).
 *
 * Chart types: line (first column = categories), scatter (first column = x), column (first
 * column = categories; `isStacked` stacks; a series colour "transparent" is drawn without fill —
 * the waterfall's invisible base). Title, axis titles, legend position "none" and series colours
 * from the chart's options. The data ranges are the chart's ranges split into columns; the first
 * `setNumHeaders` rows (1 by default) are the series names.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { columnLetters, formatDisplay, type EmbeddedChartModel, type SpreadsheetModel } from './spreadsheet';

const EMU_PER_PX = 9525;
const NS_C = 'http://schemas.openxmlformats.org/drawingml/2006/chart';
const NS_A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
const NS_R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_XDR = 'http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing';
const REL_DRAWING = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing';
const REL_CHART = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart';
const CT_DRAWING = 'application/vnd.openxmlformats-officedocument.drawing+xml';
const CT_CHART = 'application/vnd.openxmlformats-officedocument.drawingml.chart+xml';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const quoteSheet = (name: string) => `'${name.replace(/'/g, "''")}'`;

/** One column of a chart's data: where it is and what it holds. */
interface DataColumn {
  sheet: string;
  col: number;
  headerRow: number;
  firstRow: number;
  lastRow: number;
  name: string;
  values: (string | number | null)[];
  format: string | undefined;
}

function ref(c: DataColumn, rows: 'header' | 'body'): string {
  const L = columnLetters(c.col);
  return rows === 'header' ? `${quoteSheet(c.sheet)}!$${L}$${c.headerRow}` : `${quoteSheet(c.sheet)}!$${L}$${c.firstRow}:$${L}$${c.lastRow}`;
}

function dataColumns(chart: EmbeddedChartModel): DataColumn[] {
  const headers = Number(chart.calls.find((c) => c.method === 'setNumHeaders')?.args[0] ?? 1);
  const out: DataColumn[] = [];
  for (const r of chart.ranges) {
    const values = r.getValues();
    const formats = r.getNumberFormats();
    for (let j = 0; j < r.numCols; j++) {
      const body = values.slice(headers).map((row) => row[j]);
      out.push({
        sheet: r.sheet.getName(), col: r.col + j, headerRow: r.row, firstRow: r.row + headers, lastRow: r.row + r.numRows - 1,
        name: headers > 0 ? String(values[0][j] ?? '') : `Series ${j + 1}`,
        values: body.map((v) => (v === '' ? null : typeof v === 'number' ? v : v instanceof Date ? v.toISOString().slice(0, 10) : String(v))),
        format: formats[headers]?.[j],
      });
    }
  }
  return out;
}

function strRef(c: DataColumn, rows: 'header' | 'body'): string {
  const pts = rows === 'header' ? [c.name] : c.values.map((v) => (v === null ? '' : typeof v === 'number' ? formatDisplay(v, c.format) : v));
  return `<c:strRef><c:f>${esc(ref(c, rows))}</c:f><c:strCache><c:ptCount val="${pts.length}"/>${pts.map((p, i) => `<c:pt idx="${i}"><c:v>${esc(p)}</c:v></c:pt>`).join('')}</c:strCache></c:strRef>`;
}

function numRef(c: DataColumn): string {
  const code = c.format && c.format !== '@' ? c.format : 'General';
  const pts = c.values.map((v, i) => (typeof v === 'number' ? `<c:pt idx="${i}"><c:v>${v}</c:v></c:pt>` : '')).join('');
  return `<c:numRef><c:f>${esc(ref(c, 'body'))}</c:f><c:numCache><c:formatCode>${esc(code)}</c:formatCode><c:ptCount val="${c.values.length}"/>${pts}</c:numCache></c:numRef>`;
}

function rich(text: string, size = 1000, bold = false): string {
  return `<c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="${size}" b="${bold ? 1 : 0}"/></a:pPr><a:r><a:rPr lang="en-US" sz="${size}" b="${bold ? 1 : 0}"/><a:t>${esc(text)}</a:t></a:r></a:p></c:rich></c:tx>`;
}

const DEFAULT_COLORS = ['4285F4', 'DB4437', 'F4B400', '0F9D58', 'AB47BC', '00ACC1'];

function fill(color: unknown, i: number, line: boolean): string {
  const s = String(color ?? '');
  if (s === 'transparent') return line ? '<c:spPr><a:ln><a:noFill/></a:ln></c:spPr>' : '<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>';
  const hex = /^#([0-9a-f]{6})$/i.exec(s)?.[1]?.toUpperCase() ?? DEFAULT_COLORS[i % DEFAULT_COLORS.length];
  return line ? `<c:spPr><a:ln w="22225"><a:solidFill><a:srgbClr val="${hex}"/></a:solidFill></a:ln></c:spPr>` : `<c:spPr><a:solidFill><a:srgbClr val="${hex}"/></a:solidFill></c:spPr>`;
}

function axisTitle(option: unknown): string {
  const t = (option as { title?: unknown } | undefined)?.title;
  return typeof t === 'string' && t !== '' ? `<c:title>${rich(t, 900)}<c:overlay val="0"/></c:title>` : '';
}

function valAx(id: number, cross: number, pos: 'b' | 'l', option: unknown, fmt: string, gridlines: boolean): string {
  return `<c:valAx><c:axId val="${id}"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="${pos}"/>` +
    `${gridlines ? '<c:majorGridlines><c:spPr><a:ln><a:solidFill><a:srgbClr val="E0E0E0"/></a:solidFill></a:ln></c:spPr></c:majorGridlines>' : ''}${axisTitle(option)}` +
    `<c:numFmt formatCode="${esc(fmt)}" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="low"/>` +
    `<c:crossAx val="${cross}"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>`;
}

function catAx(id: number, cross: number, option: unknown): string {
  return `<c:catAx><c:axId val="${id}"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="b"/>${axisTitle(option)}` +
    `<c:numFmt formatCode="General" sourceLinked="1"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="low"/>` +
    `<c:crossAx val="${cross}"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>`;
}

/** Number format of an axis: the option's ("percent"), else the first series' own, else General. */
function axisFormat(option: unknown, column: DataColumn | undefined): string {
  const f = (option as { format?: unknown } | undefined)?.format;
  if (f === 'percent') return '0%';
  if (column?.format && column.format !== '@' && !/^0\.#+$/.test(column.format)) return column.format.replace(/\.0+/, '');
  return 'General';
}

export function chartType(chart: EmbeddedChartModel): string {
  if (chart.chartType) return chart.chartType;
  const as = [...chart.calls].reverse().find((c) => /^as\w+Chart$/.test(c.method));
  return as ? as.method.slice(2, -5).toUpperCase() : 'UNKNOWN';
}

/** The chart part (xl/charts/chartN.xml) of one embedded chart. */
export function chartXml(chart: EmbeddedChartModel): string {
  const type = chartType(chart);
  const cols = dataColumns(chart);
  const o = chart.options;
  const series = (o.series ?? {}) as Record<string, { color?: unknown }>;
  const [first, ...rest] = cols;
  let plot: string;
  if (type === 'SCATTER') {
    const ser = rest.map((y, i) =>
      `<c:ser><c:idx val="${i}"/><c:order val="${i}"/><c:tx>${strRef(y, 'header')}</c:tx><c:spPr><a:ln w="19050"><a:noFill/></a:ln></c:spPr>` +
      `<c:marker><c:symbol val="circle"/><c:size val="6"/>${fill(series[i]?.color, i, false)}</c:marker>` +
      `<c:xVal>${numRef(first)}</c:xVal><c:yVal>${numRef(y)}</c:yVal><c:smooth val="0"/></c:ser>`).join('');
    plot = `<c:scatterChart><c:scatterStyle val="lineMarker"/><c:varyColors val="0"/>${ser}<c:axId val="1"/><c:axId val="2"/></c:scatterChart>` +
      valAx(1, 2, 'b', o.hAxis, axisFormat(o.hAxis, first), false) + valAx(2, 1, 'l', o.vAxis, axisFormat(o.vAxis, rest[0]), true);
  } else if (type === 'COLUMN' || type === 'BAR') {
    const ser = rest.map((y, i) =>
      `<c:ser><c:idx val="${i}"/><c:order val="${i}"/><c:tx>${strRef(y, 'header')}</c:tx>${fill(series[i]?.color, i, false)}<c:invertIfNegative val="0"/>` +
      `<c:cat>${strRef(first, 'body')}</c:cat><c:val>${numRef(y)}</c:val></c:ser>`).join('');
    const stacked = o.isStacked === true;
    plot = `<c:barChart><c:barDir val="${type === 'BAR' ? 'bar' : 'col'}"/><c:grouping val="${stacked ? 'stacked' : 'clustered'}"/><c:varyColors val="0"/>${ser}` +
      `<c:gapWidth val="60"/>${stacked ? '<c:overlap val="100"/>' : ''}<c:axId val="1"/><c:axId val="2"/></c:barChart>` +
      catAx(1, 2, o.hAxis) + valAx(2, 1, 'l', o.vAxis, axisFormat(o.vAxis, rest[0]), true);
  } else {
    const ser = rest.map((y, i) =>
      `<c:ser><c:idx val="${i}"/><c:order val="${i}"/><c:tx>${strRef(y, 'header')}</c:tx>${fill(series[i]?.color, i, true)}<c:marker><c:symbol val="none"/></c:marker>` +
      `<c:cat>${strRef(first, 'body')}</c:cat><c:val>${numRef(y)}</c:val><c:smooth val="0"/></c:ser>`).join('');
    plot = `<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>${ser}<c:marker val="1"/><c:axId val="1"/><c:axId val="2"/></c:lineChart>` +
      catAx(1, 2, o.hAxis) + valAx(2, 1, 'l', o.vAxis, axisFormat(o.vAxis, rest[0]), true);
  }
  const title = typeof o.title === 'string' ? `<c:title>${rich(o.title, 1100, true)}<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>` : '<c:autoTitleDeleted val="1"/>';
  const legendOff = (o.legend as { position?: unknown } | undefined)?.position === 'none';
  const legend = legendOff ? '' : '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>';
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<c:chartSpace xmlns:c="${NS_C}" xmlns:a="${NS_A}" xmlns:r="${NS_R}"><c:roundedCorners val="0"/>` +
    `<c:chart>${title}<c:plotArea><c:layout/>${plot}</c:plotArea>${legend}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>`;
}

/** The drawing part of a sheet: one anchor per chart, `rId{k}` pointing at its chart part. */
function drawingXml(charts: readonly EmbeddedChartModel[]): string {
  const anchors = charts.map((chart, k) => {
    const [row = 1, col = 1, offsetX = 0, offsetY = 0] = (chart.position ?? []) as number[];
    const width = Number(chart.options.width ?? 600);
    const height = Number(chart.options.height ?? 371);
    return `<xdr:oneCellAnchor><xdr:from><xdr:col>${Number(col) - 1}</xdr:col><xdr:colOff>${Number(offsetX) * EMU_PER_PX}</xdr:colOff>` +
      `<xdr:row>${Number(row) - 1}</xdr:row><xdr:rowOff>${Number(offsetY) * EMU_PER_PX}</xdr:rowOff></xdr:from>` +
      `<xdr:ext cx="${width * EMU_PER_PX}" cy="${height * EMU_PER_PX}"/>` +
      `<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="${k + 2}" name="Chart ${k + 1}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>` +
      `<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="${NS_C}"><c:chart xmlns:c="${NS_C}" r:id="rId${k + 1}"/></a:graphicData></a:graphic>` +
      `</xdr:graphicFrame><xdr:clientData/></xdr:oneCellAnchor>`;
  });
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr="${NS_XDR}" xmlns:a="${NS_A}" xmlns:r="${NS_R}">${anchors.join('')}</xdr:wsDr>`;
}

function rels(items: readonly { id: string; type: string; target: string }[]): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    items.map((r) => `<Relationship Id="${r.id}" Type="${r.type}" Target="${r.target}"/>`).join('') + '</Relationships>';
}

/** Elements a worksheet may have after <drawing>, in schema order: <drawing> goes before the first present. */
const AFTER_DRAWING = ['<legacyDrawing', '<legacyDrawingHF', '<drawingHF', '<picture', '<oleObjects', '<controls', '<webPublishItems', '<tableParts', '<extLst', '</worksheet>'];

/** The .xlsx bytes with every embedded chart of `spreadsheet` added as a real chart. */
export function addCharts(xlsx: Uint8Array, spreadsheet: SpreadsheetModel): Uint8Array {
  const withCharts = spreadsheet.sheets.filter((s) => s.charts.length > 0);
  if (withCharts.length === 0) return xlsx;
  const files = unzipSync(xlsx);
  const text = (path: string) => strFromU8(files[path]);
  const workbook = text('xl/workbook.xml');
  const workbookRels = text('xl/_rels/workbook.xml.rels');
  let types = text('[Content_Types].xml');
  let chartNo = 0;
  withCharts.forEach((sheet, d) => {
    // Sheet name → r:id → its part.
    const name = esc(sheet.getName());
    const rid = new RegExp(`<sheet [^>]*name="${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*r:id="([^"]+)"`).exec(workbook)?.[1];
    const target = rid === undefined ? undefined
      : new RegExp(`<Relationship [^>]*Id="${rid}"[^>]*Target="([^"]+)"`).exec(workbookRels)?.[1] ?? new RegExp(`<Relationship [^>]*Target="([^"]+)"[^>]*Id="${rid}"`).exec(workbookRels)?.[1];
    if (!target) throw new Error(`saveXlsx: the sheet "${sheet.getName()}" is not in the workbook exceljs wrote`);
    const sheetPath = `xl/${target.replace(/^\/?xl\//, '')}`;
    const sheetFile = sheetPath.split('/').pop()!;
    const relsPath = `xl/worksheets/_rels/${sheetFile}.rels`;
    const drawingName = `drawing${d + 1}.xml`;

    const chartRels: { id: string; type: string; target: string }[] = [];
    sheet.charts.forEach((chart, k) => {
      chartNo += 1;
      files[`xl/charts/chart${chartNo}.xml`] = strToU8(chartXml(chart));
      chartRels.push({ id: `rId${k + 1}`, type: REL_CHART, target: `../charts/chart${chartNo}.xml` });
      types = types.replace('</Types>', `<Override PartName="/xl/charts/chart${chartNo}.xml" ContentType="${CT_CHART}"/></Types>`);
    });
    files[`xl/drawings/${drawingName}`] = strToU8(drawingXml(sheet.charts));
    files[`xl/drawings/_rels/${drawingName}.rels`] = strToU8(rels(chartRels));
    types = types.replace('</Types>', `<Override PartName="/xl/drawings/${drawingName}" ContentType="${CT_DRAWING}"/></Types>`);

    const drawingRid = 'rIdChartsDrawing';
    const existing = files[relsPath] ? text(relsPath) : rels([]);
    files[relsPath] = strToU8(existing.replace('</Relationships>', `<Relationship Id="${drawingRid}" Type="${REL_DRAWING}" Target="../drawings/${drawingName}"/></Relationships>`));
    let xml = text(sheetPath);
    if (!/xmlns:r="/.test(xml.slice(0, 600))) xml = xml.replace('<worksheet ', `<worksheet xmlns:r="${NS_R}" `);
    const at = AFTER_DRAWING.map((tag) => xml.indexOf(tag)).filter((i) => i >= 0).sort((a, b) => a - b)[0];
    files[sheetPath] = strToU8(xml.slice(0, at) + `<drawing r:id="${drawingRid}"/>` + xml.slice(at));
  });
  files['[Content_Types].xml'] = strToU8(types);
  return zipSync(files, { level: 6 });
}
