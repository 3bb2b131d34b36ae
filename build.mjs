#!/usr/bin/env node
/**
 * Builds what `clasp push` uploads (rootDir "dist" in .clasp.json):
 *   dist/Code.js          src/index.ts bundled for Apps Script, with top-level stubs
 *   dist/Sidebar.html     src/sidebar/ as one self-contained page
 *   dist/appsscript.json  the manifest, copied from the top level
 *
 * Usage: node build.mjs [--outdir DIR]     (npm run build also type-checks first)
 *
 * Apps Script has no modules: it concatenates .js files as classic scripts and only sees
 * top-level function declarations. So src/index.ts is bundled into an IIFE whose exports land
 * on `__addon`, and a generated footer declares `function NAME(...) { return __addon.NAME(...); }`
 * for each of its exported functions, JSDoc included (see dev/build/entry-points.ts). The guard
 * (dev/build/guard.ts) then re-reads the output and refuses a bundle Apps Script could not use.
 */
import { build } from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { tsImport } from 'tsx/esm/api';

const root = dirname(fileURLToPath(import.meta.url));
// The entry-point finder and the guard are TypeScript so that tsc checks them and jest can
// import them; tsx compiles them on the fly.
const { findEntryPoints, renderStubs, EntryPointError } = await tsImport('./dev/build/entry-points.ts', import.meta.url);
const { checkBundle, describeProblems } = await tsImport('./dev/build/guard.ts', import.meta.url);

/** Global name of the bundle's namespace; stubs forward to it. */
const NAMESPACE = '__addon';
/**
 * Apps Script's V8 runtime runs modern syntax, but the reference recipe pins a target so new
 * syntax in a dependency gets lowered. ES2020 rather than ES2019: src/core/money.ts uses BigInt
 * literals (`0n`), which esbuild cannot lower to ES2019.
 */
const TARGET = 'es2020';
const GUARD_ECMA_VERSION = 2020;
/** Files the build writes; anything else in outdir would also be uploaded by `clasp push`. */
const OUTPUTS = ['Code.js', 'Sidebar.html', 'appsscript.json'];
const REJECTED_SUFFIX = '.rejected';

/** A build failure whose message says everything; printed without a stack trace. */
class BuildError extends Error {}

const { values: cli } = parseArgs({ options: { outdir: { type: 'string', default: 'dist' } } });
const outdir = resolve(root, cli.outdir);

try {
  await main();
} catch (err) {
  console.error(`build failed: ${describeFailure(err)}`);
  process.exit(1);
}

async function main() {
  const started = Date.now();
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  prepareOutdir();

  const entries = findEntryPoints(readFileSync(join(root, 'src/index.ts'), 'utf8'), 'src/index.ts');
  const codePath = join(outdir, 'Code.js');
  await build({
    absWorkingDir: root,
    entryPoints: ['src/index.ts'],
    bundle: true,
    format: 'iife',
    globalName: NAMESPACE,
    target: TARGET,
    platform: 'neutral', // neither Node nor a browser: no built-ins to resolve, no DOM shims
    mainFields: ['module', 'main'],
    minify: true,
    define: { __ADDON_VERSION__: JSON.stringify(version) },
    footer: { js: renderStubs(entries, NAMESPACE) },
    outfile: codePath,
    logLevel: 'warning',
  });

  // Re-read what was written: the guard checks the file clasp would push, not an in-memory copy.
  const code = readFileSync(codePath, 'utf8');
  const problems = checkBundle(code, entries, { ecmaVersion: GUARD_ECMA_VERSION });
  const report = describeProblems(shown(codePath), problems);
  if (report !== null) {
    // Keep it for inspection under a name clasp does not upload.
    renameSync(codePath, codePath + REJECTED_SUFFIX);
    throw new BuildError(`${report}\n(the rejected bundle is at ${shown(codePath + REJECTED_SUFFIX)})`);
  }

  await buildSidebar(join(root, 'src/sidebar'), join(outdir, 'Sidebar.html'));
  copyManifest(join(root, 'appsscript.json'), join(outdir, 'appsscript.json'));
  warnAboutStrayFiles();

  const bytes = statSync(codePath).size;
  const sidebarBytes = statSync(join(outdir, 'Sidebar.html')).size;
  const custom = entries.filter((e) => e.customFunction).map((e) => e.name);
  const others = entries.filter((e) => !e.customFunction).map((e) => e.name);
  console.log(`globals: ${others.join(', ')}; custom functions: ${custom.join(', ') || 'none'}`);
  console.log(`${shown(join(outdir, 'Sidebar.html'))}: ${sidebarBytes} bytes (${kb(sidebarBytes)} KB)`);
  console.log(`${shown(codePath)}: ${bytes} bytes (${kb(bytes)} KB), built in ${Date.now() - started} ms`);
}

function prepareOutdir() {
  mkdirSync(outdir, { recursive: true });
  // Only our own files are removed: outdir may be any directory given with --outdir.
  for (const name of [...OUTPUTS, 'Code.js' + REJECTED_SUFFIX]) rmSync(join(outdir, name), { force: true });
}

/**
 * Inlines the page's stylesheet and script. HtmlService.createHtmlOutputFromFile serves one
 * project file; it cannot fetch ./sidebar.css or ./sidebar.ts next to it.
 */
async function buildSidebar(sourceDir, outfile) {
  const page = readFileSync(join(sourceDir, 'Sidebar.html'), 'utf8');
  const bundled = async (file, kind) => {
    const result = await build({
      absWorkingDir: root,
      entryPoints: [join(sourceDir, file)],
      bundle: true,
      format: kind === 'css' ? undefined : 'iife',
      // Runs in the user's browser, not in Apps Script.
      target: kind === 'css' ? ['chrome100', 'firefox100', 'safari15'] : 'es2019',
      minify: true,
      write: false,
      logLevel: 'warning',
    });
    return result.outputFiles[0].text.trim();
  };

  let html = await inlineTag(page, /<link rel="stylesheet" href="\.\/([\w.-]+\.css)">/g, async (file) => `<style>${await bundled(file, 'css')}</style>`);
  html = await inlineTag(html, /<script src="\.\/([\w.-]+\.ts)"><\/script>/g, async (file) => {
    const js = await bundled(file, 'js');
    // esbuild escapes "</script" inside strings; make sure nothing else can close the tag early.
    if (/<\/script/i.test(js)) throw new BuildError(`${file}: the bundled script contains "</script" and cannot be inlined`);
    return `<script>${js}</script>`;
  });

  const external = /<(?:script|link)\b[^>]*\b(?:src|href)="(?!https:)[^"]*"/i.exec(html);
  if (external) throw new BuildError(`Sidebar.html still refers to a local file (${external[0]}); only ./NAME.css and ./NAME.ts tags are inlined`);
  writeFileSync(outfile, html);
}

/**
 * Replaces each match of `pattern` with `await replace(firstGroup)`. Not String.replace: minified
 * JS is full of `$` sequences that a replacement string would interpret.
 */
async function inlineTag(html, pattern, replace) {
  let out = '';
  let last = 0;
  for (const match of html.matchAll(pattern)) {
    out += html.slice(last, match.index) + (await replace(match[1]));
    last = match.index + match[0].length;
  }
  return out + html.slice(last);
}

function copyManifest(from, to) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(from, 'utf8'));
  } catch (err) {
    throw new BuildError(`appsscript.json is not valid JSON: ${err.message}`);
  }
  if (manifest.runtimeVersion !== 'V8') throw new BuildError('appsscript.json: runtimeVersion must be "V8" (the bundle is ES2020)');
  writeFileSync(to, JSON.stringify(manifest, null, 2) + '\n');
}

function warnAboutStrayFiles() {
  const stray = readdirSync(outdir).filter((name) => /\.(js|gs|html|json)$/.test(name) && !OUTPUTS.includes(name));
  if (stray.length > 0) console.warn(`warning: clasp push would also upload ${stray.join(', ')} from ${shown(outdir)}`);
}

function describeFailure(err) {
  if (err instanceof EntryPointError || err instanceof BuildError) return err.message;
  // esbuild has already printed its errors with file and line.
  if (Array.isArray(err?.errors)) return `esbuild reported ${err.errors.length} error(s), see above`;
  return err?.stack ?? String(err);
}

/** A path as the user would type it: relative to the repository when inside it. */
function shown(path) {
  const rel = relative(root, path);
  if (rel === '') return '.';
  return rel.startsWith('..') ? path : rel;
}

function kb(bytes) {
  return (bytes / 1024).toFixed(1);
}
