/**
 * How the test command finds the programs the suite drives (dev/tools/programs.ts), on fake
 * binaries in a temporary folder: a working one answers `--version` with a version, a stub (what
 * some distributions put on PATH in place of a browser) does not.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProgram, howToInstall, type Program } from '../../dev/tools/programs';

let dir: string;
const BROWSER: () => Program = () => ({
  purpose: 'the browser tests drive a browser',
  envVar: 'FAKE_BROWSER_PATH',
  debianPath: join(dir, 'usr-bin', 'fakebrowser'),
  names: ['fakebrowser', 'fakebrowser-stable'],
  debianPackage: 'fakebrowser',
  versionPattern: /FakeBrowser \d+/,
});

function script(path: string, body: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'programs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('the environment variable wins when it names a working binary', () => {
  const named = script(join(dir, 'opt', 'fb'), 'echo "FakeBrowser 140.0.1"');
  script(join(dir, 'usr-bin', 'fakebrowser'), 'echo "FakeBrowser 120"');
  expect(findProgram(BROWSER(), { FAKE_BROWSER_PATH: named, PATH: '' })).toEqual({ path: named });
});

test('a wrong explicit choice is reported, never replaced by another binary', () => {
  script(join(dir, 'usr-bin', 'fakebrowser'), 'echo "FakeBrowser 120"');
  const missing = join(dir, 'nowhere');
  expect(findProgram(BROWSER(), { FAKE_BROWSER_PATH: missing })).toEqual({ missing: `FAKE_BROWSER_PATH=${missing}: no such file` });
  const stub = script(join(dir, 'stub'), 'echo "please install fakebrowser from the store"; exit 1');
  expect(findProgram(BROWSER(), { FAKE_BROWSER_PATH: stub })).toEqual({ missing: `FAKE_BROWSER_PATH=${stub}: \`${stub} --version\` did not answer with a version` });
  const plain = join(dir, 'plain');
  writeFileSync(plain, 'not a program');
  expect(findProgram(BROWSER(), { FAKE_BROWSER_PATH: plain })).toEqual({ missing: `FAKE_BROWSER_PATH=${plain}: not an executable file` });
});

test('a launcher that answers --version but lacks a part the tests use is passed over (or reported, when named)', () => {
  const p = { ...BROWSER(), alsoNeeds: ['libengine.so'] };
  const broken = script(join(dir, 'usr-bin', 'fakebrowser'), 'echo "FakeBrowser 120"');
  const whole = script(join(dir, 'bin', 'fakebrowser'), 'echo "FakeBrowser 140"');
  writeFileSync(join(dir, 'bin', 'libengine.so'), '');
  expect(findProgram(p, { PATH: join(dir, 'bin') })).toEqual({ path: whole });
  expect(findProgram(p, { FAKE_BROWSER_PATH: broken })).toEqual({
    missing: `FAKE_BROWSER_PATH=${broken}: ${broken} lacks libengine.so in ${join(dir, 'usr-bin')} (a part of its package is not installed)`,
  });
});

test("Debian's path comes before PATH", () => {
  const debian = script(join(dir, 'usr-bin', 'fakebrowser'), 'echo "FakeBrowser 120"');
  script(join(dir, 'bin', 'fakebrowser'), 'echo "FakeBrowser 140"');
  expect(findProgram(BROWSER(), { PATH: join(dir, 'bin') })).toEqual({ path: debian });
});

test('on PATH: a stub that only says "install me" is passed over for a working binary further on', () => {
  script(join(dir, 'a', 'fakebrowser'), 'echo "fakebrowser is a snap: run snap install fakebrowser"; exit 0');
  const working = script(join(dir, 'b', 'fakebrowser-stable'), 'echo "FakeBrowser 131.0.6778"');
  expect(findProgram(BROWSER(), { PATH: [join(dir, 'a'), join(dir, 'b')].join(':') })).toEqual({ path: working });
});

test('nothing found: one line that says what was searched, what to install and how', () => {
  const found = findProgram(BROWSER(), { PATH: join(dir, 'empty') });
  expect(found).toEqual({
    missing: `no fakebrowser found (FAKE_BROWSER_PATH unset; not at ${join(dir, 'usr-bin', 'fakebrowser')}; none of fakebrowser, fakebrowser-stable on PATH)`,
  });
  const line = howToInstall(BROWSER(), (found as { missing: string }).missing);
  expect(line).not.toContain('\n');
  expect(line).toMatch(/^npm test: the browser tests drive a browser, and no fakebrowser found .*\. Install Debian's package \(sudo apt-get install fakebrowser\) or set FAKE_BROWSER_PATH=\/path\/to\/fakebrowser, then run npm test again\.$/);
});

test('a program that prints its version with other arguments (poppler: -v) is asked with those', () => {
  const bin = script(join(dir, 'usr-bin', 'fakepdf'), 'if [ "$1" = "-v" ]; then echo "fakepdf version 22.12.0" >&2; exit 0; fi; echo "I/O Error: Couldn\'t open file \'$1\'" >&2; exit 1');
  const p: Program = { ...BROWSER(), envVar: 'FAKE_PDF', debianPath: bin, names: ['fakepdf'], versionPattern: /fakepdf version \d+/ };
  expect(findProgram(p, { PATH: '' })).toEqual({ missing: expect.stringMatching(/^no fakepdf found/) });
  expect(findProgram({ ...p, versionArgs: ['-v'] }, { PATH: '' })).toEqual({ path: bin });
});
