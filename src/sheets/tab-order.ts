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

/**
 * Puts the tabs in order (see above); returns the names in their new order. Every call is a round
 * trip in Apps Script, so each tab's name is read once, only a tab named like a default one is
 * looked into, and only the tabs out of place are moved.
 */
export function arrangeTabs(spreadsheet: ArrangeSpreadsheetLike, groups: TabGroups): string[] {
  const ours = new Set([...groups.reportTabs, ...groups.userTabs, ...groups.dataTabs]);
  let sheets = spreadsheet.getSheets();
  let names = sheets.map((s) => s.getName());
  if (names.some((n) => ours.has(n))) {
    const blank = sheets.filter((s, i) => /^Sheet\s?\d+$/.test(names[i]) && isBlankDefaultTab(s));
    if (blank.length > 0 && blank.length < sheets.length) {
      for (const s of blank) spreadsheet.deleteSheet(s as never);
      names = names.filter((_, i) => !blank.includes(sheets[i]));
      sheets = sheets.filter((s) => !blank.includes(s));
    }
  }
  const byName = new Map(sheets.map((s, i) => [names[i], s]));
  const want = tabOrder(names, groups);
  let current = [...names];
  let active: string | null = null;
  want.forEach((name, i) => {
    if (current[i] === name) return;
    if (active === null) active = spreadsheet.getActiveSheet()?.getName() ?? '';
    spreadsheet.setActiveSheet(byName.get(name)! as never);
    spreadsheet.moveActiveSheet(i + 1);
    current = current.filter((n) => n !== name);
    current.splice(i, 0, name);
  });
  // Sheets hands out a new object per call: the tab the user was on is found again by its name.
  if (active !== null && byName.has(active)) spreadsheet.setActiveSheet(byName.get(active)! as never);
  if (groups.hideDataTabs !== undefined) {
    for (const name of groups.dataTabs) {
      const s = byName.get(name);
      if (!s) continue;
      if (groups.hideDataTabs !== s.isSheetHidden()) {
        if (groups.hideDataTabs) s.hideSheet();
        else s.showSheet();
      }
    }
  }
  return want;
}
