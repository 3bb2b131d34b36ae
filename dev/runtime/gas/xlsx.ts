/**
 * Saves the runtime's spreadsheet model as an .xlsx file (exceljs), so a run can be opened in
 * Excel, LibreOffice or Google Sheets and looked at:
 * - every sheet in order, hidden ones hidden; values (numbers, strings, booleans, Dates); cells the
 *   model holds as formulas are written as formulas (no cached result: the model does not evaluate
 *   them, the opening application does); number formats and bold per cell;
 * - frozen rows/columns; column widths set with setColumnWidth(s) (pixels → Excel characters);
 * - named ranges as workbook defined names;
 * - conditional format rules: gradients as color scales, boolean rules (number comparisons, text
 *   equal/contains, empty/not empty, custom formula) with their background, font colour, bold
 *   and italic;
 * - cell fills, font colours, wrapping and notes (as cell comments);
 * - embedded charts as real spreadsheet charts, added to the file exceljs writes (xlsx-charts.ts).
 * Not carried: protections, grid size (rows/columns beyond the data), the spreadsheet's time zone.
 */
import ExcelJS from 'exceljs';
import type { Cvfo, CfvoTypes, ConditionalFormattingRule, Style } from 'exceljs';
import { writeFileSync } from 'node:fs';
import { columnLetters, GENERAL_FORMAT, type ConditionalFormatRuleModel, type RangeModel, type SpreadsheetModel } from './spreadsheet';
import { addCharts } from './xlsx-charts';

/** Excel's rules for sheet names (Sheets allows longer names and these characters). */
function excelSheetName(name: string): string {
  if (name.length > 31 || /[\\/?*:[\]]/.test(name)) {
    throw new Error(`saveXlsx: the sheet name "${name}" cannot be written to .xlsx (at most 31 characters, none of \\ / ? * : [ ]).`);
  }
  return name;
}

const quoteSheet = (name: string) => `'${name.replace(/'/g, "''")}'`;

/** "A1:B2" with $ signs, as defined names want. */
function absolute(range: RangeModel): string {
  const tl = `$${columnLetters(range.col)}$${range.row}`;
  if (range.numRows === 1 && range.numCols === 1) return tl;
  return `${tl}:$${columnLetters(range.getLastColumn())}$${range.getLastRow()}`;
}

/** "#RRGGBB" / "#RGB" → exceljs ARGB; anything else (named colours) is not carried. */
function argb(color: unknown): string | undefined {
  const s = String(color ?? '').trim();
  const long = /^#([0-9a-f]{6})$/i.exec(s);
  if (long) return 'FF' + long[1].toUpperCase();
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(s);
  if (short) return 'FF' + (short[1] + short[1] + short[2] + short[2] + short[3] + short[3]).toUpperCase();
  return undefined;
}

const INTERPOLATION: Record<string, CfvoTypes> = { NUMBER: 'num', PERCENT: 'percent', PERCENTILE: 'percentile', MIN: 'min', MAX: 'max' };

function cfvo(type: unknown, value: unknown): Cvfo {
  const t = INTERPOLATION[String(type)] ?? 'num';
  return t === 'min' || t === 'max' ? { type: t } : { type: t, value: Number(value) };
}

const quoteText = (s: unknown) => `"${String(s).replace(/"/g, '""')}"`;

/** One Sheets conditional format rule as an exceljs rule, or null if nothing of it can be carried. */
function toExcelRule(rule: ConditionalFormatRuleModel, priority: number, topLeft: string): ConditionalFormattingRule | null {
  const last = (prefix: string) => [...rule.calls].reverse().find((c) => c.method.startsWith(prefix));
  if (rule.kind === 'gradient') {
    const points: { cfvo: Cvfo; color: string | undefined }[] = [];
    const min = last('setGradientMinpoint');
    const mid = last('setGradientMidpoint');
    const max = last('setGradientMaxpoint');
    if (min) points.push({ cfvo: min.method.endsWith('WithValue') ? cfvo(min.args[1], min.args[2]) : { type: 'min' }, color: argb(min.args[0]) });
    if (mid) points.push({ cfvo: cfvo(mid.args[1], mid.args[2]), color: argb(mid.args[0]) });
    if (max) points.push({ cfvo: max.method.endsWith('WithValue') ? cfvo(max.args[1], max.args[2]) : { type: 'max' }, color: argb(max.args[0]) });
    if (points.length < 2) return null;
    return { type: 'colorScale', priority, cfvo: points.map((p) => p.cfvo), color: points.map((p) => ({ argb: p.color ?? 'FFFFFFFF' })) };
  }
  const style: Partial<Style> = {};
  const bg = argb(last('setBackground')?.args[0]);
  if (bg) style.fill = { type: 'pattern', pattern: 'solid', bgColor: { argb: bg } };
  const font: Partial<Style['font']> = {};
  const fc = argb(last('setFontColor')?.args[0]);
  if (fc) font.color = { argb: fc };
  const bold = last('setBold');
  if (bold) font.bold = Boolean(bold.args[0]);
  const italic = last('setItalic');
  if (italic) font.italic = Boolean(italic.args[0]);
  if (Object.keys(font).length > 0) style.font = font;
  const when = last('when');
  if (!when) return null;
  const [a, b] = when.args;
  const cellIs = (operator: string, formulae: unknown[]) => ({ type: 'cellIs', priority, operator, formulae, style }) as unknown as ConditionalFormattingRule;
  switch (when.method) {
    case 'whenNumberGreaterThan':
      return cellIs('greaterThan', [Number(a)]);
    case 'whenNumberGreaterThanOrEqualTo':
      return cellIs('greaterThanOrEqual', [Number(a)]);
    case 'whenNumberLessThan':
      return cellIs('lessThan', [Number(a)]);
    case 'whenNumberLessThanOrEqualTo':
      return cellIs('lessThanOrEqual', [Number(a)]);
    case 'whenNumberEqualTo':
      return cellIs('equal', [Number(a)]);
    case 'whenNumberNotEqualTo':
      return cellIs('notEqual', [Number(a)]);
    case 'whenNumberBetween':
      return cellIs('between', [Number(a), Number(b)]);
    case 'whenTextEqualTo':
      return cellIs('equal', [quoteText(a)]);
    case 'whenTextContains':
      return { type: 'containsText', priority, operator: 'containsText', text: String(a), formulae: [`NOT(ISERROR(SEARCH(${quoteText(a)},${topLeft})))`], style } as ConditionalFormattingRule;
    case 'whenCellEmpty':
      return { type: 'containsText', priority, operator: 'containsBlanks', formulae: [`LEN(TRIM(${topLeft}))=0`], style } as ConditionalFormattingRule;
    case 'whenCellNotEmpty':
      return { type: 'containsText', priority, operator: 'notContainsBlanks', formulae: [`LEN(TRIM(${topLeft}))>0`], style } as ConditionalFormattingRule;
    case 'whenFormulaSatisfied':
      return { type: 'expression', priority, formulae: [String(a).replace(/^=/, '')], style };
    default:
      return null;
  }
}

/** Builds the workbook (exported for tests that want to look at it without a file). */
export function toWorkbook(spreadsheet: SpreadsheetModel): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.title = spreadsheet.getName();
  wb.creator = 'dev/runtime/gas';
  let priority = 1;
  for (const sheet of spreadsheet.sheets) {
    const ws = wb.addWorksheet(excelSheetName(sheet.getName()), { state: sheet.hidden ? 'hidden' : 'visible' });
    const rows = sheet.getFrozenRows();
    const cols = sheet.getFrozenColumns();
    if (rows > 0 || cols > 0) ws.views = [{ state: 'frozen', xSplit: cols, ySplit: rows }];
    for (const [col, px] of sheet._columnWidths) ws.getColumn(col).width = Math.round((px / 7) * 100) / 100;
    for (const { row, col, cell } of sheet._cells()) {
      const target = ws.getCell(row, col);
      if (cell.formula) target.value = { formula: cell.formula.replace(/^=/, '') } as ExcelJS.CellFormulaValue;
      else if (cell.value !== '') target.value = cell.value instanceof Date ? new Date(cell.value.getTime()) : cell.value;
      // A boolean keeps the general format: a numeric one would show TRUE as 1 outside Sheets.
      if (cell.format !== undefined && !(typeof cell.value === 'boolean' && cell.format === GENERAL_FORMAT)) target.numFmt = cell.format;
      const color = argb(cell.fontColor);
      if (cell.fontWeight === 'bold' || color) target.font = { ...(cell.fontWeight === 'bold' ? { bold: true } : {}), ...(color ? { color: { argb: color } } : {}) };
      const fill = argb(cell.background);
      if (fill) target.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } };
      if (cell.wrap) target.alignment = { wrapText: true, vertical: 'top' };
      if (cell.note) target.note = cell.note;
    }
    // Rows with wrapped text get the height their longest wrapped cell needs (Sheets grows them by
    // itself; a desktop spreadsheet keeps the default height and the lines overlap the next row).
    const lines = new Map<number, number>();
    for (const { row, col, cell } of sheet._cells()) {
      if (!cell.wrap || typeof cell.value !== 'string' || cell.value === '') continue;
      const px = sheet._columnWidths.get(col) ?? 100;
      const perLine = Math.max(1, Math.floor((px - 8) / 7));
      let n = 0;
      let used = 0;
      for (const word of cell.value.split(/\s+/)) {
        if (n === 0 || used + 1 + word.length > perLine) {
          n += Math.max(1, Math.ceil(word.length / perLine));
          used = word.length % perLine || perLine;
        } else used += 1 + word.length;
      }
      lines.set(row, Math.max(lines.get(row) ?? 1, n));
    }
    for (const [row, n] of lines) if (n > 1) ws.getRow(row).height = 13 * n + 2;
    for (const rule of sheet.conditionalFormatRules) {
      if (rule.ranges.length === 0) continue;
      const ref = rule.ranges.map((r) => r.getA1Notation()).join(' ');
      const topLeft = `${columnLetters(rule.ranges[0].col)}${rule.ranges[0].row}`;
      const excel = toExcelRule(rule, priority++, topLeft);
      if (excel) ws.addConditionalFormatting({ ref, rules: [excel] });
    }
  }
  for (const [name, range] of spreadsheet.namedRanges) {
    wb.definedNames.add(`${quoteSheet(range.sheet.getName())}!${absolute(range)}`, name);
  }
  return wb;
}

/** The .xlsx bytes: exceljs's workbook with the charts added. */
export async function toXlsx(spreadsheet: SpreadsheetModel): Promise<Uint8Array> {
  const buffer = await toWorkbook(spreadsheet).xlsx.writeBuffer();
  return addCharts(new Uint8Array(buffer as ArrayBuffer), spreadsheet);
}

/** Writes the spreadsheet model to `filePath` as .xlsx. */
export async function saveXlsx(spreadsheet: SpreadsheetModel, filePath: string): Promise<void> {
  writeFileSync(filePath, await toXlsx(spreadsheet));
}
