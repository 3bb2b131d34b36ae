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
    .addSeparator()
    .addItem('Check this deployment', 'checkThisDeployment')
    .addItem('Help', 'showHelp')
    .addToUi();
}

export function openSidebar(): void {
  const page = HtmlService.createHtmlOutputFromFile(SIDEBAR_FILE).setTitle(SIDEBAR_TITLE);
  SpreadsheetApp.getUi().showSidebar(page);
}

/** What the Help dialog says: where things are, and where to look when something is off. */
const HELP_HTML = `<div style="font-family:Arial,sans-serif;font-size:13px;line-height:1.5">
<p><b>TikTok Shop Profit</b> pulls your TikTok Shop orders, settlements, payouts, returns and creator
orders into this spreadsheet and works out the contribution margin of every order, to the cent.</p>
<ul>
<li><b>Connect</b> and <b>Refresh</b> in the sidebar (Extensions &gt; TikTok Shop Profit &gt; Open sidebar).</li>
<li>Enter your landed costs on the <b>COGS</b> tab, monthly costs on <b>Fixed costs</b>, flat creator fees on
<b>Creator fees</b>, and adjust <b>Settings</b>. Rows starting with EXAMPLE are ignored.</li>
<li>The report tabs (Profit, Order margin, SKU profit, Creators, Customers, Channels, Reconciliation, Alerts)
are values: anyone you share the file with can read them without the add-on.</li>
<li>Data tabs are rewritten by each refresh: do not edit them.</li>
<li>Numbers marked <i>estimated</i> move when TikTok's statements arrive (the true-up).</li>
</ul></div>`;

export function openHelp(): void {
  const page = HtmlService.createHtmlOutput(HELP_HTML).setWidth(460).setHeight(320);
  SpreadsheetApp.getUi().showModalDialog(page, 'TikTok Shop Profit: help');
}
