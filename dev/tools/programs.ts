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
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
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

function answersVersion(path: string, p: Program): boolean {
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return r.status === 0 && p.versionPattern.test(`${r.stdout}${r.stderr}`);
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
    if (!answersVersion(named, p)) return { missing: `${p.envVar}=${named}: \`${named} --version\` did not answer with a version` };
    return { path: named };
  }
  for (const c of candidates(p, env)) if (isExecutableFile(c) && answersVersion(c, p)) return { path: c };
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

/** Every program the test suite needs (prepare-tests.ts makes sure of each before jest starts). */
export const TEST_PROGRAMS: readonly Program[] = [CHROMIUM];
