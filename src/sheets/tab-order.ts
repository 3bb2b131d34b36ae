/**
 * The order of the workbook's tabs, as a manager opens it: the Dashboard first, then the report
 * tabs, then the seller's tabs (COGS, Settings, Fixed costs, Creator fees, and any tab the seller
 * made), then the data tabs last, grouped, hidden when the Settings tab says so. The blank
 * "Sheet1" a new spreadsheet starts with is removed once the add-on's tabs exist.
 *
 * Apps Script moves a tab by activating it and calling moveActiveSheet; only tabs out of place
 * are moved (each move is a round trip), and the tab the user was on is activated again after.
 */

export interface ArrangeSheetLike {
  getName(): string;
  getLastRow(): number;
  getLastColumn(): number;
  getCharts(): unknown[];
  isSheetHidden(): boolean;
  hideSheet(): unknown;
  showSheet(): unknown;
}

export interface ArrangeSpreadsheetLike {
  getSheets(): ArrangeSheetLike[];
  getActiveSheet(): ArrangeSheetLike | null;
  setActiveSheet(sheet: never): unknown;
  moveActiveSheet(position: number): unknown;
  deleteSheet(sheet: never): unknown;
}

export interface TabGroups {
  reportTabs: readonly string[];
  userTabs: readonly string[];
  dataTabs: readonly string[];
  /** Hide (true) or show (false) the data tabs; undefined leaves them as they are. */
  hideDataTabs?: boolean;
}

/** A spreadsheet's default first tab ("Sheet1"), left blank: nothing of the seller's is in it. */
function isBlankDefaultTab(sheet: ArrangeSheetLike): boolean {
  return /^Sheet\s?\d+$/.test(sheet.getName()) && sheet.getLastRow() === 0 && sheet.getLastColumn() === 0 && sheet.getCharts().length === 0;
}

/** The tab names in the order the workbook should have, from the tabs it has. */
export function tabOrder(names: readonly string[], groups: TabGroups): string[] {
  const has = new Set(names);
  const known = new Set([...groups.reportTabs, ...groups.userTabs, ...groups.dataTabs]);
  const own = names.filter((n) => !known.has(n));
  return [
    ...groups.reportTabs.filter((n) => has.has(n)),
    ...groups.userTabs.filter((n) => has.has(n)),
    ...own,
    ...groups.dataTabs.filter((n) => has.has(n)),
  ];
}

/** Puts the tabs in order (see above); returns the names in their new order. */
export function arrangeTabs(spreadsheet: ArrangeSpreadsheetLike, groups: TabGroups): string[] {
  const ours = new Set([...groups.reportTabs, ...groups.userTabs, ...groups.dataTabs]);
  let sheets = spreadsheet.getSheets();
  if (sheets.some((s) => ours.has(s.getName()))) {
    for (const s of sheets) if (isBlankDefaultTab(s) && sheets.length > 1) spreadsheet.deleteSheet(s as never);
    sheets = spreadsheet.getSheets();
  }
  const active = spreadsheet.getActiveSheet();
  const byName = new Map(sheets.map((s) => [s.getName(), s]));
  const want = tabOrder(sheets.map((s) => s.getName()), groups);
  let current = sheets.map((s) => s.getName());
  let moved = false;
  want.forEach((name, i) => {
    if (current[i] === name) return;
    spreadsheet.setActiveSheet(byName.get(name)! as never);
    spreadsheet.moveActiveSheet(i + 1);
    moved = true;
    current = current.filter((n) => n !== name);
    current.splice(i, 0, name);
  });
  if (moved && active && byName.has(active.getName())) spreadsheet.setActiveSheet(active as never);
  const data = new Set(groups.dataTabs);
  for (const s of sheets) {
    if (!data.has(s.getName())) continue;
    if (groups.hideDataTabs === true && !s.isSheetHidden()) s.hideSheet();
    if (groups.hideDataTabs === false && s.isSheetHidden()) s.showSheet();
  }
  return want;
}
