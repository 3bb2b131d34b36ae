/**
 * The add-on menu and the sidebar: the only Apps Script UI calls in the add-on.
 */

/** Title shown on the sidebar; the page itself lives in src/sidebar and is pushed as Sidebar.html. */
export const SIDEBAR_TITLE = 'TikTok Shop Profit';
/** Name of the HTML file in the Apps Script project (dist/Sidebar.html without its extension). */
export const SIDEBAR_FILE = 'Sidebar';

/**
 * Adds the add-on's menu. Runs on every open, possibly in AuthMode.NONE (add-on installed but not
 * yet used in this document), where only the menu may be built: no properties, no sheet reads.
 * Menu items name the global function to run, so each must be exported from src/index.ts.
 */
export function buildMenu(_e?: GoogleAppsScript.Events.SheetsOnOpen): void {
  SpreadsheetApp.getUi()
    .createAddonMenu()
    .addItem('Open sidebar', 'showSidebar')
    .addItem('Refresh now', 'refreshNow')
    .addItem('Rebuild reports', 'rebuildReports')
    .addToUi();
}

export function openSidebar(): void {
  const page = HtmlService.createHtmlOutputFromFile(SIDEBAR_FILE).setTitle(SIDEBAR_TITLE);
  SpreadsheetApp.getUi().showSidebar(page);
}
