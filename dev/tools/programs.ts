/**
 * The programs some tests drive besides Node: found the same way by the test command's
 * preparation (prepare-tests.ts) and by the tests themselves, so both agree on which binary
 * runs.
 *
 * Order of search: the environment variable that names the program (an explicit choice wins),
 * then Debian's package path, then the usual names on PATH. A candidate counts only if it is an
 * executable file that answers `--version` (a snap or distro stub that only prints "install me"
 * exits non-zero or prints no version).
 */
import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';

export interface Program {
  /** What the tests use it for, in the one line a person reads when it is missing. */
  purpose: string;
  /** Environment variable that names the binary. */
  envVar: string;
  /** Where Debian's package puts it. */
  debianPath: string;
  /** Names to look for on PATH. */
  names: readonly string[];
  /** Debian package that provides debianPath. */
  debianPackage: string;
  /** What `--version` prints (a line matching this proves the binary works). */
  versionPattern: RegExp;
  /** The arguments that make it print its version, when not `--version` (poppler's tools: `-v`). */
  versionArgs?: readonly string[];
  /**
   * Files beside the binary's real path that must be there too: a launcher can answer --version
   * while the part the tests use is gone (soffice without Calc's library, when only Calc was removed).
   */
  alsoNeeds?: readonly string[];
}

export const CHROMIUM: Program = {
  purpose: 'the sidebar tests (test/sidebar) drive a headless Chromium',
  envVar: 'CHROMIUM_PATH',
  debianPath: '/usr/bin/chromium',
  names: ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'],
  debianPackage: 'chromium',
  versionPattern: /(Chromium|Chrome) \d+/,
};

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Why the binary does not work for the tests, or null when it does. */
function whyNotWorking(path: string, p: Program): string | null {
  const args = p.versionArgs ?? ['--version'];
  const r = spawnSync(path, [...args], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0 || !p.versionPattern.test(`${r.stdout}${r.stderr}`)) return `\`${path} ${args.join(' ')}\` did not answer with a version`;
  const dir = dirname(realpathSync(path));
  const lacking = (p.alsoNeeds ?? []).filter((f) => !existsSync(join(dir, f)));
  return lacking.length > 0 ? `${path} lacks ${lacking.join(', ')} in ${dir} (a part of its package is not installed)` : null;
}

function candidates(p: Program, env: NodeJS.ProcessEnv): string[] {
  const onPath = (env.PATH ?? '').split(delimiter).filter(Boolean).flatMap((dir) => p.names.map((n) => join(dir, n)));
  return [...new Set([p.debianPath, ...onPath])];
}

export type Found = { path: string } | { missing: string };

/**
 * The program to use, or why there is none. A path named by the environment variable is used or
 * refused as it is: a wrong explicit choice is reported, never silently replaced by another binary.
 */
export function findProgram(p: Program, env: NodeJS.ProcessEnv = process.env): Found {
  const named = env[p.envVar];
  if (named) {
    if (!existsSync(named)) return { missing: `${p.envVar}=${named}: no such file` };
    if (!isExecutableFile(named)) return { missing: `${p.envVar}=${named}: not an executable file` };
    const why = whyNotWorking(named, p);
    if (why) return { missing: `${p.envVar}=${named}: ${why}` };
    return { path: named };
  }
  for (const c of candidates(p, env)) if (isExecutableFile(c) && whyNotWorking(c, p) === null) return { path: c };
  return { missing: `no ${p.names[0]} found (${p.envVar} unset; not at ${p.debianPath}; none of ${p.names.join(', ')} on PATH)` };
}

/** The path, for a test: throws at once with the same one line the test command prints. */
export function requireProgram(p: Program): string {
  const f = findProgram(p);
  if ('path' in f) return f.path;
  throw new Error(howToInstall(p, f.missing));
}

/** The one line a person reads when the program is missing. */
export function howToInstall(p: Program, why: string): string {
  return `npm test: ${p.purpose}, and ${why}. Install Debian's package (sudo apt-get install ${p.debianPackage}) or set ${p.envVar}=/path/to/${p.names[0]}, then run npm test again.`;
}

/** The render tests (test/render) open the runtime's .xlsx in LibreOffice Calc, headless. */
export const LIBREOFFICE: Program = {
  purpose: 'the render tests (test/render, and the workbook test) open the .xlsx in LibreOffice Calc, headless',
  envVar: 'SOFFICE',
  debianPath: '/usr/bin/soffice',
  names: ['soffice', 'libreoffice'],
  debianPackage: 'libreoffice-calc',
  versionPattern: /LibreOffice \d+/,
  alsoNeeds: ['libsclo.so'],
};

/** ...and turn Calc's PDF pages into PNG and text (poppler). */
export const PDFTOPPM: Program = {
  purpose: 'the render tests rasterize the PDF pages LibreOffice writes',
  envVar: 'PDFTOPPM',
  debianPath: '/usr/bin/pdftoppm',
  names: ['pdftoppm'],
  debianPackage: 'poppler-utils',
  versionPattern: /pdftoppm version \d+/,
  versionArgs: ['-v'],
};

export const PDFTOTEXT: Program = {
  purpose: 'the render tests read the text of the PDF pages LibreOffice writes',
  envVar: 'PDFTOTEXT',
  debianPath: '/usr/bin/pdftotext',
  names: ['pdftotext'],
  debianPackage: 'poppler-utils',
  versionPattern: /pdftotext version \d+/,
  versionArgs: ['-v'],
};

/** Every program the test suite needs (prepare-tests.ts makes sure of each before jest starts). */
export const TEST_PROGRAMS: readonly Program[] = [CHROMIUM, LIBREOFFICE, PDFTOPPM, PDFTOTEXT];
