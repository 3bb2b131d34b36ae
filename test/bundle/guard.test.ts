/**
 * The build guard (dev/build/guard.ts) and the entry-point finder (dev/build/entry-points.ts):
 * each bundle or entry file below is broken in one way that would look fine in Node but fail
 * in Apps Script, and must be reported in words that say what to fix.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EntryPointError, findEntryPoints, renderStubs } from '../../dev/build/entry-points';
import { checkBundle, describeProblems, type RequiredGlobal } from '../../dev/build/guard';
import { buildInto, repoRoot, type BuiltAddon } from './build-into';

const TRIGGERS = 'function onOpen(e) {}\nfunction onInstall(e) {}\n';
const CM: RequiredGlobal = { name: 'TIKTOK_CM', customFunction: true };
const CM_STUB = '/**\n * Margin.\n * @customfunction\n */\nfunction TIKTOK_CM(a) { return __addon.TIKTOK_CM(a); }\n';

describe('checkBundle', () => {
  test('accepts a minimal good bundle', () => {
    expect(checkBundle(`var __addon = (() => ({}))();\n${TRIGGERS}${CM_STUB}`, [CM])).toEqual([]);
  });

  test('refuses a required global assigned to a variable', () => {
    const problems = checkBundle('var onOpen = function () {};\nfunction onInstall() {}\n', []);
    expect(problems).toEqual([
      '"onOpen" must be a top-level function declaration ("function onOpen(...) {...}") for Apps Script to find it; it is a "var" variable at line 1',
    ]);
  });

  test('refuses a global created by assignment', () => {
    expect(checkBundle(`${TRIGGERS}getStatus = function () {};\n`, [{ name: 'getStatus', customFunction: false }])).toEqual([
      expect.stringContaining('"getStatus" must be a top-level function declaration ("function getStatus(...) {...}") for Apps Script to find it; it is a global assigned by an expression'),
    ]);
  });

  test('refuses a global that only exists inside the IIFE (the globalName mistake)', () => {
    const code = `var globalThis = (() => { function TIKTOK_CM() {} return { TIKTOK_CM }; })();\n${TRIGGERS}`;
    expect(checkBundle(code, [CM])).toEqual([expect.stringContaining('"TIKTOK_CM" must be a top-level function declaration')]);
    expect(checkBundle(code, [CM])[0]).toContain('it is not declared at top level');
  });

  test('refuses a missing trigger even when src/index.ts forgot to export it', () => {
    expect(checkBundle('function onOpen() {}\n', [])).toEqual([expect.stringContaining('"onInstall" must be a top-level function declaration')]);
  });

  test('refuses import and export statements, with their line', () => {
    const problems = checkBundle(`${TRIGGERS}export function x() {}\nimport y from "y";\n`, []);
    expect(problems).toEqual([
      'line 3: an export statement is not allowed: Apps Script loads each file as a classic script, so the project would fail to load',
      'line 4: an import statement is not allowed: Apps Script loads each file as a classic script, so the project would fail to load',
    ]);
  });

  test('refuses dynamic import() and import.meta anywhere', () => {
    const problems = checkBundle(`${TRIGGERS}function later() { return import("./x.js"); }\nfunction here() { return import.meta.url; }\n`, [], {
      ecmaVersion: 2022,
    });
    expect(problems).toEqual([expect.stringContaining('a dynamic import() is not allowed'), expect.stringContaining('import.meta is not allowed')]);
  });

  test('refuses a custom function stub without @customfunction', () => {
    const stub = '/** Margin. */\nfunction TIKTOK_CM(a) { return __addon.TIKTOK_CM(a); }\n';
    expect(checkBundle(TRIGGERS + stub, [CM])).toEqual([
      'custom function "TIKTOK_CM" has no JSDoc with @customfunction right before its declaration; Sheets would not list it in autocomplete',
    ]);
  });

  test('only the comment right before the declaration counts', () => {
    const separated = '/** @customfunction */\nvar unrelated = 1;\nfunction TIKTOK_CM(a) {}\n';
    expect(checkBundle(TRIGGERS + separated, [CM])).toEqual([expect.stringContaining('has no JSDoc with @customfunction')]);
    const plainComment = '/* @customfunction */\nfunction TIKTOK_CM(a) {}\n';
    expect(checkBundle(TRIGGERS + plainComment, [CM])).toEqual([expect.stringContaining('has no JSDoc with @customfunction')]);
  });

  test('refuses a custom function whose name ends with _', () => {
    const code = `${TRIGGERS}/** @customfunction */\nfunction MARGIN_(a) {}\n`;
    expect(checkBundle(code, [{ name: 'MARGIN_', customFunction: true }])).toEqual([
      'custom function "MARGIN_" ends with "_": Apps Script treats it as private and Sheets cannot call it',
    ]);
  });

  test('refuses a global declared twice', () => {
    expect(checkBundle(`${TRIGGERS}var onOpen = 1;\n`, [])).toEqual([
      '"onOpen" is declared 2 times at top level; Apps Script would use whichever comes last',
    ]);
  });

  test('reports an unparsable bundle, and syntax newer than the target', () => {
    expect(checkBundle('function onOpen( {', [])).toEqual([expect.stringMatching(/^the bundle is not a valid ES2020 script: /)]);
    expect(checkBundle(`${TRIGGERS}var a; a ??= 1;\n`, [], { ecmaVersion: 2020 })).toEqual([expect.stringContaining('not a valid ES2020 script')]);
  });

  test('describeProblems lists every problem under the file name', () => {
    expect(describeProblems('dist/Code.js', [])).toBeNull();
    expect(describeProblems('dist/Code.js', ['a', 'b'])).toBe('dist/Code.js would not work in Apps Script:\n  - a\n  - b');
  });
});

describe('findEntryPoints and renderStubs', () => {
  test('find exported functions with their parameters and JSDoc', () => {
    const source = [
      "import { x } from './x';",
      'export type Hidden = number;',
      '/** Opens. */',
      'export function onOpen(e?: unknown): void {}',
      'function notExported() {}',
      '/**',
      '   * Margin.',
      '   * @param {100} revenue Revenue.',
      '   * @customfunction',
      '   */',
      'export function MARGIN(revenue: number, cost = 0): number { return revenue - cost; }',
    ].join('\n');
    const entries = findEntryPoints(source);
    expect(entries.map(({ name, params, customFunction, line }) => ({ name, params, customFunction, line }))).toEqual([
      { name: 'onOpen', params: ['e'], customFunction: false, line: 4 },
      { name: 'MARGIN', params: ['revenue', 'cost'], customFunction: true, line: 11 },
    ]);
    expect(renderStubs(entries, '__addon')).toBe(
      [
        '/** Opens. */',
        'function onOpen(e) { return __addon.onOpen(e); }',
        '/**',
        ' * Margin.',
        ' * @param {100} revenue Revenue.',
        ' * @customfunction',
        ' */',
        'function MARGIN(revenue, cost) { return __addon.MARGIN(revenue, cost); }',
      ].join('\n'),
    );
  });

  test('refuse everything Apps Script could not see or call, all at once', () => {
    const source = [
      'export const VALUE = 1;',
      "export { helper } from './helper';",
      'export default function () {}',
      'export function hidden_() {}',
      'export async function later() {}',
      'export function spread(...args: number[]) {}',
      'export function pick({ a }: { a: number }) {}',
    ].join('\n');
    let error: unknown;
    try {
      findEntryPoints(source, 'src/index.ts');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(EntryPointError);
    expect((error as EntryPointError).problems).toEqual([
      'src/index.ts:1: only "export function NAME(...)" is allowed here; Apps Script sees top-level function declarations only (found: export const VALUE = 1;)',
      'src/index.ts:2: only "export function NAME(...)" is allowed here; Apps Script sees top-level function declarations only (found: export { helper } from \'./helper\';)',
      'src/index.ts:3: a default export has no global name; use "export function NAME(...)"',
      'src/index.ts:4: "hidden_" ends with "_", which Apps Script treats as private: menus, google.script.run and cells cannot call it',
      'src/index.ts:5: "later" is async or a generator; Apps Script entry points must return plain values',
      'src/index.ts:6: "spread" has a rest parameter; Sheets\' help card needs each argument named',
      'src/index.ts:7: "pick" has a destructured parameter; the generated stub forwards parameters by name',
    ]);
  });

  test('the real src/index.ts exposes the expected globals', () => {
    const entries = findEntryPoints(readFileSync(join(repoRoot, 'src/index.ts'), 'utf8'));
    expect(entries.map((e) => [e.name, e.customFunction])).toEqual([
      ['onOpen', false],
      ['onInstall', false],
      ['showSidebar', false],
      ['getStatus', false],
      ['saveTikTokApp', false],
      ['getConnectLink', false],
      ['authCallback', false],
      ['selectShop', false],
      ['disconnect', false],
      ['saveTikTokAdsApp', false],
      ['getAdsConnectLink', false],
      ['adsAuthCallback', false],
      ['selectAdAccounts', false],
      ['disconnectAds', false],
      ['refresh', false],
      ['refreshNow', false],
      ['rebuildReports', false],
      ['refreshFromScratch', false],
      ['rebuildReportsNow', false],
      ['setSchedule', false],
      ['scheduledRefresh', false],
      ['checkThisDeployment', false],
      ['deploymentChecks', false],
      ['getSettingsForm', false],
      ['saveSettingsForm', false],
      ['addCostForSku', false],
      ['previewImport', false],
      ['confirmImport', false],
      ['showHelp', false],
      ['TIKTOK_CM', true],
      ['TIKTOK_BREAKEVEN_ROAS', true],
      ['TIKTOK_ORDER_MARGIN', true],
      ['TIKTOK_SKU_PROFIT', true],
      ['TIKTOK_CREATORS', true],
      ['TIKTOK_CUSTOMERS', true],
      ['TIKTOK_PNL', true],
      ['TIKTOK_METRIC', true],
      ['TIKTOK_RECONCILIATION', true],
      ['TIKTOK_FEE_ESTIMATE', true],
      ['TIKTOK_AFFORDABLE_CAC', true],
      ['TIKTOK_CREATOR_COST_SHARE', true],
      ['getWarehouseStatus', false],
      ['saveWarehouse', false],
      ['refreshWarehouse', false],
    ]);
  });
});

describe('the real build', () => {
  let built: BuiltAddon;
  beforeAll(() => {
    built = buildInto();
  }, 60_000);
  afterAll(() => built?.cleanup());

  test('passes the guard', () => {
    const entries = findEntryPoints(readFileSync(join(repoRoot, 'src/index.ts'), 'utf8'));
    expect(checkBundle(built.code, entries)).toEqual([]);
  });

  test('would fail the guard if a stub lost its @customfunction tag', () => {
    const entries = findEntryPoints(readFileSync(join(repoRoot, 'src/index.ts'), 'utf8'));
    const stripped = built.code.replace(/@customfunction/g, '');
    expect(checkBundle(stripped, entries)).toEqual([
      expect.stringContaining('custom function "TIKTOK_CM" has no JSDoc'),
      expect.stringContaining('custom function "TIKTOK_BREAKEVEN_ROAS" has no JSDoc'),
      expect.stringContaining('custom function "TIKTOK_ORDER_MARGIN" has no JSDoc'),
      expect.stringContaining('custom function "TIKTOK_SKU_PROFIT" has no JSDoc'),
      expect.stringContaining('custom function "TIKTOK_CREATORS" has no JSDoc'),
      expect.stringContaining('custom function "TIKTOK_CUSTOMERS" has no JSDoc'),
      expect.stringContaining('custom function "TIKTOK_PNL" has no JSDoc'),
      expect.stringContaining('custom function "TIKTOK_METRIC" has no JSDoc'),
      expect.stringContaining('custom function "TIKTOK_RECONCILIATION" has no JSDoc'),
      expect.stringContaining('custom function "TIKTOK_FEE_ESTIMATE" has no JSDoc'),
      expect.stringContaining('custom function "TIKTOK_AFFORDABLE_CAC" has no JSDoc'),
      expect.stringContaining('custom function "TIKTOK_CREATOR_COST_SHARE" has no JSDoc'),
    ]);
  });
});
