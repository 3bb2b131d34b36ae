/** `--name value` from the command line (npm run x -- --name value), or `fallback`. */
export function option(name: string, fallback: string): string;
export function option(name: string): string | undefined;
export function option(name: string, fallback?: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
}

/** Rows as an aligned text table: the first row is the header, the first column left-aligned. */
export function textTable(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r, k) => {
    const line = r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
    return k === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
  }).join('\n');
}

/**
 * `--small`: a benchmark's check mode (seconds, not minutes). The test suite runs every bench
 * this way (test/bench), so a bench that breaks fails the tests instead of rotting unseen.
 */
export const SMALL = process.argv.slice(2).includes('--small');

/** `--name value`, else the bench's full-size default, or its small one under --small. */
export function sized(name: string, full: string, small: string): string {
  return option(name, SMALL ? small : full);
}
