/**
 * Reads a report table back from a report tab's values, as a person reading the tab would:
 * the title row, the header row under it, then body rows up to the first blank row or note row
 * (a note fills only the first cell). Used by the demo's summary and the workbook tests.
 */
export interface ReportBlock {
  title: string;
  /** The block's "As of … · accrual · …" stamp (row 1, or after the title's " — "). */
  stamp: string;
  header: string[];
  rows: Record<string, unknown>[];
  /** Sheet row (1-based) of the first body row. */
  firstBodyRow: number;
}

export function readReportBlock(values: unknown[][], title: string): ReportBlock {
  const at = values.findIndex((r) => r[0] === title || (typeof r[0] === 'string' && r[0].startsWith(`${title} — `)));
  if (at < 0) throw new Error(`No "${title}" table on this tab`);
  const cell0 = String(values[at][0]);
  const stamp = cell0.includes(' — ') ? cell0.slice(cell0.indexOf(' — ') + 3) : String(values[0]?.[0] ?? '');
  const header = (values[at + 1] ?? []).map((h) => String(h));
  const width = header.findIndex((h) => h === '') < 0 ? header.length : header.findIndex((h) => h === '');
  const rows: Record<string, unknown>[] = [];
  for (let i = at + 2; i < values.length; i++) {
    const r = values[i];
    const filled = r.slice(0, width).filter((v) => v !== '' && v !== null && v !== undefined).length;
    if (filled === 0) break;
    if (filled === 1 && width > 1 && r[0] !== '' && r.slice(1, width).every((v) => v === '')) break;
    rows.push(Object.fromEntries(header.slice(0, width).map((h, j) => [h, r[j]])));
  }
  return { title, stamp, header: header.slice(0, width), rows, firstBodyRow: at + 3 };
}
