/**
 * The built add-on, run the way Apps Script runs it: dist/Code.js evaluated as one classic script
 * in a bare V8 context that has only the Apps Script services we fake (no require, process,
 * Buffer, setTimeout or fetch), with its globals called by name.
 */
import { parse, type Comment } from 'acorn';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { buildInto, repoRoot, type BuiltAddon } from './build-into';
import { GasRuntime } from '../../dev/runtime/gas';

const CUSTOM_FUNCTIONS = [
  'TIKTOK_CM', 'TIKTOK_BREAKEVEN_ROAS', 'TIKTOK_ORDER_MARGIN', 'TIKTOK_SKU_PROFIT', 'TIKTOK_CREATORS', 'TIKTOK_CUSTOMERS', 'TIKTOK_PNL', 'TIKTOK_METRIC', 'TIKTOK_RECONCILIATION', 'TIKTOK_FEE_ESTIMATE', 'TIKTOK_AFFORDABLE_CAC', 'TIKTOK_CREATOR_COST_SHARE',
];
const GLOBALS = [
  'onOpen', 'onInstall', 'showSidebar', 'getStatus', 'saveTikTokApp', 'getConnectLink', 'authCallback', 'selectShop', 'disconnect',
  'refresh', 'refreshNow', 'rebuildReports', 'refreshFromScratch', 'rebuildReportsNow', 'setSchedule', 'scheduledRefresh',
  'checkThisDeployment', 'deploymentChecks', 'getSettingsForm', 'saveSettingsForm', 'addCostForSku', 'previewImport', 'confirmImport', 'showHelp', ...CUSTOM_FUNCTIONS,
  'getWarehouseStatus', 'saveWarehouse', 'refreshWarehouse',
];
const MENU = [
  { caption: 'Open sidebar', functionName: 'showSidebar' },
  { caption: 'Refresh now', functionName: 'refreshNow' },
  { caption: 'Rebuild reports', functionName: 'rebuildReports' },
  { separator: true },
  { caption: 'Check this deployment', functionName: 'checkThisDeployment' },
  { caption: 'Help', functionName: 'showHelp' },
];

interface FakeMenu {
  items: ({ caption: string; functionName: string } | { separator: true })[];
  addedToUi: boolean;
}
interface FakeHtmlOutput {
  file: string;
  title?: string;
}

/** The bundle loaded into a fresh context, plus what its calls to the fakes recorded. */
function loadAddon(code: string) {
  const menus: FakeMenu[] = [];
  const pages: FakeHtmlOutput[] = [];
  const sidebars: FakeHtmlOutput[] = [];
  /** The HtmlOutput objects handed to the bundle, mapped to what they record. */
  const pageOf = new WeakMap<object, FakeHtmlOutput>();
  const logged: unknown[][] = [];

  const ui = {
    createAddonMenu() {
      const menu: FakeMenu = { items: [], addedToUi: false };
      menus.push(menu);
      const builder = {
        addItem(caption: string, functionName: string) {
          menu.items.push({ caption, functionName });
          return builder;
        },
        addSeparator() {
          menu.items.push({ separator: true });
          return builder;
        },
        addToUi() {
          menu.addedToUi = true;
        },
      };
      return builder;
    },
    showSidebar(output: object) {
      const page = pageOf.get(output);
      if (!page) throw new Error('showSidebar expects an HtmlOutput from HtmlService');
      sidebars.push(page);
    },
  };
  const fakes = {
    SpreadsheetApp: { getUi: () => ui },
    HtmlService: {
      createHtmlOutputFromFile(file: string) {
        const page: FakeHtmlOutput = { file };
        pages.push(page);
        const output = {
          setTitle(title: string) {
            page.title = title;
            return output;
          },
        };
        pageOf.set(output, page);
        return output;
      },
    },
    // Apps Script has console (it goes to Cloud Logging); V8 would otherwise supply a silent one.
    console: { log: (...args: unknown[]) => logged.push(args), warn: (...args: unknown[]) => logged.push(args), error: (...args: unknown[]) => logged.push(args) },
  };
  const context = vm.createContext(fakes);
  vm.runInContext(code, context, { filename: 'Code.js' });

  /** Calls a global from inside the context, so arguments are that realm's arrays, as in Apps Script. */
  const call = (name: string, ...args: unknown[]): unknown =>
    vm.runInContext(`${name}(${args.map((a) => JSON.stringify(a)).join(', ')})`, context);

  return { context, call, menus, pages, sidebars, logged };
}

let built: BuiltAddon;
let addon: ReturnType<typeof loadAddon>;

beforeAll(() => {
  built = buildInto();
  addon = loadAddon(built.code);
}, 60_000);

afterAll(() => built?.cleanup());

describe('the bundle as a classic script', () => {
  const parsed = () => {
    const comments: Comment[] = [];
    const program = parse(built.code, { ecmaVersion: 2020, sourceType: 'script', onComment: comments });
    return { program, comments };
  };

  test('has no Node globals to lean on', () => {
    expect(vm.runInContext('[typeof require, typeof process, typeof Buffer, typeof setTimeout, typeof fetch].join()', addon.context)).toBe(
      'undefined,undefined,undefined,undefined,undefined',
    );
  });

  test('declares every global as a top-level function declaration', () => {
    const declared = parsed()
      .program.body.filter((node) => node.type === 'FunctionDeclaration')
      .map((node) => (node.type === 'FunctionDeclaration' ? node.id.name : ''));
    for (const name of GLOBALS) {
      expect(declared).toContain(name);
      expect(typeof addon.context[name]).toBe('function');
    }
  });

  test('has no import or export (parses as a script, which rejects them)', () => {
    expect(() => parsed()).not.toThrow();
    expect(built.code).not.toMatch(/^\s*(import|export)\b/m);
  });

  test('puts a @customfunction JSDoc right before each custom function', () => {
    const { program, comments } = parsed();
    for (const name of CUSTOM_FUNCTIONS) {
      const declaration = program.body.find((node) => node.type === 'FunctionDeclaration' && node.id.name === name)!;
      const before = comments.filter((c) => c.end <= declaration.start).pop()!;
      expect(built.code.slice(before.end, declaration.start)).toMatch(/^\s*$/);
      expect(before.value.startsWith('*')).toBe(true);
      expect(before.value).toContain('@customfunction');
      expect(before.value).toContain('@param');
    }
  });

  test('ships the manifest and a self-contained sidebar page', () => {
    expect(built.manifest).toEqual(JSON.parse(readFileSync(join(repoRoot, 'appsscript.json'), 'utf8')));
    expect(built.sidebarHtml).toContain('<title>TikTok Shop Profit</title>');
    expect(built.sidebarHtml).toContain('google.script.run');
    expect(built.sidebarHtml).toContain('getStatus');
    expect(built.sidebarHtml).toMatch(/<style>[^<]+<\/style>/);
    expect(built.sidebarHtml).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });

  test('reports its size', () => {
    expect(built.log).toMatch(/Code\.js: \d+ bytes \(\d+\.\d KB\)/);
  });
});

describe('menu, sidebar and status', () => {
  test('onOpen adds the add-on menu, even without authorization', () => {
    addon.call('onOpen', { authMode: 'NONE' });
    const menu = addon.menus[addon.menus.length - 1];
    expect(menu.items).toEqual(MENU);
    expect(menu.addedToUi).toBe(true);
  });

  test('onInstall adds the menu too', () => {
    const before = addon.menus.length;
    addon.call('onInstall', { authMode: 'FULL' });
    expect(addon.menus.length).toBe(before + 1);
    expect(addon.menus[before].items).toEqual(MENU);
  });

  test('showSidebar opens Sidebar.html with the add-on title', () => {
    addon.call('showSidebar');
    expect(addon.pages).toEqual([{ file: 'Sidebar', title: 'TikTok Shop Profit' }]);
    expect(addon.sidebars).toEqual([{ file: 'Sidebar', title: 'TikTok Shop Profit' }]);
  });

  test('getStatus reports the version from package.json and no connection, as plain JSON', () => {
    // getStatus reads properties and the spreadsheet: run it in the local Apps Script runtime.
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    const rt = new GasRuntime({ code: built.code, distDir: built.outdir });
    const status = rt.run('getStatus');
    // google.script.run JSON-round-trips results; the status must survive unchanged.
    expect(JSON.parse(JSON.stringify(status))).toEqual({
      addon: 'TikTok Shop Profit', version, appConfigured: false, connected: false, shop: null, shops: [],
      lastRefreshTime: null, reportsTime: null, refreshProgress: null, problem: null,
      schedule: { mode: 'off', hour: null }, summary: null,
      ads: { appConfigured: false, publisherApp: false, connected: false, granted: [], chosen: [], lastPullTime: null, problem: null },
    });
  });
});

describe('TIKTOK_CM', () => {
  test('single values: 100 − 40 − 6.5 − 5.25 − 10 − 3.1 = 35.15', () => {
    expect(addon.call('TIKTOK_CM', 100, 40, 6.5, 5.25, 10, 3.1)).toBe(35.15);
  });

  test('is exact where float subtraction is not', () => {
    // The cases below are chosen because plain doubles get them wrong.
    expect(0.3 - 0.1 - 0.2).not.toBe(0);
    expect(1.1 - 0.2 - 0.7).not.toBe(0.2);
    expect(19.99 - 12.34 - 0.55).not.toBe(7.1);
    expect(addon.call('TIKTOK_CM', 0.3, 0.1, 0.2, 0, 0, 0)).toBe(0);
    expect(addon.call('TIKTOK_CM', 1.1, 0.2, 0.7, 0, 0, 0)).toBe(0.2);
    expect(addon.call('TIKTOK_CM', 19.99, 12.34, 0.55, 0, 0, 0)).toBe(7.1);
  });

  test('ranges combine row by row, single values apply to every row, blanks give blanks', () => {
    const result = addon.call('TIKTOK_CM', [[0.3], [1.1], [19.99], ['']], [[0.1], [0.2], [12.34], [5]], [[0.2], [0.7], [0.55], [1]], 0, 0, 0);
    expect(result).toEqual([[0], [0.2], [7.1], ['']]);
  });

  test('two-column ranges work cell by cell', () => {
    expect(addon.call('TIKTOK_CM', [[10, 20], [30, 40]], [[1, 2], [3, 4]], 0.5, 0, 0, 0)).toEqual([
      [8.5, 17.5],
      [26.5, 35.5],
    ]);
  });

  test('a text cell is refused, naming the argument and the row', () => {
    expect(() => addon.call('TIKTOK_CM', [[100], [200], [300]], [[1], [2], ['abc']], 0, 0, 0, 0)).toThrow(
      'TIKTOK_CM: argument "cogs", row 3: expected an amount in USD, got "abc"',
    );
    expect(() => addon.call('TIKTOK_CM', 100, 40, '6.5', 0, 0, 0)).toThrow(
      /argument "platform_fees": expected an amount in USD, got "6.5" \(a number stored as text/,
    );
  });

  test('an error in one row is reported even when that row also has a blank', () => {
    expect(() => addon.call('TIKTOK_CM', [[''], [1]], [[true], [1]], 0, 0, 0, 0)).toThrow('argument "cogs", row 1: expected an amount in USD, got true');
  });

  test('ranges of different sizes are refused, naming both arguments', () => {
    expect(() => addon.call('TIKTOK_CM', [[1], [2]], [[1], [2], [3]], 0, 0, 0, 0)).toThrow(
      'TIKTOK_CM: argument "cogs" is 3 rows × 1 column but argument "revenue" is 2 rows × 1 column; ranges must be the same size',
    );
  });

  test('more decimals than the currency has are refused, not rounded', () => {
    expect(() => addon.call('TIKTOK_CM', 100, 12.345, 0, 0, 0, 0)).toThrow(
      /argument "cogs": expected at most 2 decimal places for USD, got "12\.345"; round it first, e.g\. ROUND\(x, 2\)/,
    );
  });

  test('a missing argument is an error, not a silent 0', () => {
    expect(() => addon.call('TIKTOK_CM', 100, 40)).toThrow('TIKTOK_CM: argument "platform_fees" is missing; pass 0 if there is none');
  });

  test('JPY works in whole yen and refuses fractions of a yen', () => {
    expect(addon.call('TIKTOK_CM', 1500, 600, 45, 0, 150, 0, 'JPY')).toBe(705);
    expect(addon.call('TIKTOK_CM', [[1500], [990]], 600, 0, 0, 0, 0, 'jpy')).toEqual([[900], [390]]);
    expect(() => addon.call('TIKTOK_CM', 10.5, 0, 0, 0, 0, 0, 'JPY')).toThrow(
      'TIKTOK_CM: argument "revenue": expected at most 0 decimal places for JPY, got "10.5"',
    );
  });

  test('an unknown currency is refused', () => {
    expect(() => addon.call('TIKTOK_CM', 1, 0, 0, 0, 0, 0, 'DOLLARS')).toThrow('argument "currency": expected an ISO 4217 code');
  });
});

describe('TIKTOK_BREAKEVEN_ROAS', () => {
  test('is 1 / CM2 margin rate', () => {
    expect(addon.call('TIKTOK_BREAKEVEN_ROAS', 0.25)).toBe(4);
    expect(addon.call('TIKTOK_BREAKEVEN_ROAS', 1)).toBe(1);
  });

  test('works on ranges, blanks give blanks', () => {
    expect(addon.call('TIKTOK_BREAKEVEN_ROAS', [[0.5], [''], [0.2]])).toEqual([[2], [''], [5]]);
  });

  test.each([[0], [-0.1], [1.5], [25], ['25%']])('refuses %p, naming the argument', (rate) => {
    expect(() => addon.call('TIKTOK_BREAKEVEN_ROAS', rate)).toThrow(
      /^TIKTOK_BREAKEVEN_ROAS: argument "cm2_margin_rate": expected a margin rate above 0 and at most 1/,
    );
  });

  test('names the row of a bad rate in a range', () => {
    expect(() => addon.call('TIKTOK_BREAKEVEN_ROAS', [[0.5], [0]])).toThrow('argument "cm2_margin_rate", row 2: expected a margin rate');
  });
});
