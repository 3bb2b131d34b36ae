/**
 * The first step of `npm test`: every program the suite drives besides Node is there before
 * any test starts (see programs.ts), so a fresh machine never waits on a test hook's timeout.
 *
 * - Found (environment variable, Debian's path, or PATH): nothing to do.
 * - Missing, and this is Debian with root (as CI and the project's machines are): installed the
 *   way CI always did, with apt-get, saying so in one line.
 * - Missing otherwise (or the environment variable names a binary that does not work): one line
 *   that says what to install and how, and exit 1 before jest runs.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { findProgram, howToInstall, TEST_PROGRAMS, type Program } from './programs';

function canInstallWithApt(): boolean {
  return process.getuid?.() === 0 && existsSync('/etc/debian_version') && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** apt-get's own output is shown only when it fails (debconf chatter otherwise). */
function aptInstall(p: Program): boolean {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Another apt-get may hold the lock (an unattended upgrade, a second install): wait for it.
  const run = (args: string[]) => {
    const r = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.status !== 0) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    return r.status === 0;
  };
  return run(['update', '-qq']) && run(['install', '-y', '-qq', '--no-install-recommends', p.debianPackage]);
}

let failed = false;
for (const p of TEST_PROGRAMS) {
  const found = findProgram(p);
  if ('path' in found) continue;
  // An explicit choice that does not work is the user's to fix, not ours to replace.
  if (!process.env[p.envVar] && canInstallWithApt()) {
    const started = Date.now();
    console.log(`npm test: ${p.purpose}; none found, installing Debian's ${p.debianPackage} (apt-get install ${p.debianPackage})…`);
    if (aptInstall(p)) {
      const again = findProgram(p);
      if ('path' in again) {
        console.log(`npm test: ${p.debianPackage} installed at ${again.path} in ${Math.round((Date.now() - started) / 1000)} s.`);
        continue;
      }
    }
    console.error(howToInstall(p, `apt-get install ${p.debianPackage} did not give a working one`));
    failed = true;
    continue;
  }
  console.error(howToInstall(p, found.missing));
  failed = true;
}
process.exit(failed ? 1 : 0);
