/**
 * Every `npm run bench*` in its small mode (`-- --small`: seconds, not minutes), so a benchmark
 * that breaks fails the tests instead of rotting unseen. The benchmarks check what they measure
 * (orders pulled, rows written, formula results) and exit non-zero when it does not hold; this
 * test asserts only that they ran to the end: figures belong to the benchmarks, not to tests.
 *
 * The list is read from package.json, so a new bench script is checked without being listed here
 * (it must accept --small).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

jest.setTimeout(240_000);

const ROOT = resolve(__dirname, '../..');
const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const benches = Object.keys(scripts).filter((name) => name === 'bench' || name.startsWith('bench:'));

/** [script, extra arguments]: custom functions also through the built bundle in the local runtime. */
const runs: [string, string[]][] = [
  ...benches.map((b): [string, string[]] => [b, []]),
  ...(benches.includes('bench:custom') ? [['bench:custom', ['--via', 'runtime']] as [string, string[]]] : []),
];

test('package.json has the benchmarks this file is meant to keep alive', () => {
  expect(benches).toEqual(expect.arrayContaining(['bench', 'bench:api', 'bench:workbook', 'bench:custom', 'bench:import']));
});

test.each(runs)('npm run %s -- --small %j runs to the end', (script, extra) => {
  const r = spawnSync('npm', ['run', '--silent', script, '--', '--small', ...extra], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' },
  });
  // On failure, the bench's own last words say what broke.
  const tail = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-15).join('\n');
  expect({ script, status: r.status, tail: r.status === 0 ? '' : tail }).toEqual({ script, status: 0, tail: '' });
  expect(r.stdout.length).toBeGreaterThan(0);
});
