/**
 * Runs the real build (`node build.mjs`) into a fresh temporary directory, so each test file
 * checks an artifact it built itself: no reliance on a stale dist/, no race with other test
 * files that read dist/ while this one rebuilds it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../..');

export interface BuiltAddon {
  outdir: string;
  code: string;
  sidebarHtml: string;
  manifest: Record<string, unknown>;
  /** What the build printed (sizes, globals). */
  log: string;
  cleanup(): void;
}

export function buildInto(): BuiltAddon {
  const outdir = mkdtempSync(join(tmpdir(), 'tiktok-addon-build-'));
  const log = execFileSync(process.execPath, ['build.mjs', '--outdir', outdir], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return {
    outdir,
    code: readFileSync(join(outdir, 'Code.js'), 'utf8'),
    sidebarHtml: readFileSync(join(outdir, 'Sidebar.html'), 'utf8'),
    manifest: JSON.parse(readFileSync(join(outdir, 'appsscript.json'), 'utf8')),
    log,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
