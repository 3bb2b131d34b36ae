/**
 * The SQL helpers against money.ts on hand-picked and random integers (halves, negatives, ties),
 * and the BigQuery rendering of the model: the same view text, every name qualified, none of
 * DuckDB's own spellings left in it.
 */
import { allocateByWeights, divRound, mulDivRound } from '../../src/core/money';
import { bigQueryDialect, duckDbDialect } from '../../src/warehouse/dialect';
import { modelStatements, VIEWS } from '../../src/warehouse/sql';
import { largestRemainder, valuesQuery } from '../../src/warehouse/sql/common';
import { TABLES } from '../../src/warehouse/tables';
import { openDuck } from '../../dev/warehouse/duck';

const duck = duckDbDialect();

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const { instance, conn } = await openDuck();
  try {
    for (const s of duck.helpers()) await conn.run(s);
    const r = await conn.runAndReadAll(sql);
    return r.getRowObjects().map((o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** A small deterministic generator (the test must not be flaky). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

test('div_round and mul_div_round equal money.ts: halves away from zero, every sign', async () => {
  const rand = rng(42);
  const cases: [number, number, number][] = [[5, 1, 2], [-5, 1, 2], [5, 1, -2], [-5, -1, 2], [7, 3, 2], [0, 5, -3], [1, 1, 3], [-1, 2, 3]];
  for (let i = 0; i < 300; i++) {
    cases.push([Math.round((rand() - 0.5) * 2_000_000), Math.round((rand() - 0.3) * 10_000), Math.round(rand() * 20_000) + 1]);
  }
  const sql = valuesQuery(['a', 'n', 'd'], cases);
  const rows = await query(`SELECT a, n, d, ${duck.fn('div_round')}(a, d) AS dr, ${duck.fn('mul_div_round')}(a, n, d) AS mdr FROM (${sql}) AS c`);
  const wrong = rows.filter((r) => r.dr !== divRound(r.a as number, r.d as number) || r.mdr !== mulDivRound(r.a as number, r.n as number, r.d as number));
  expect(wrong).toEqual([]);
  expect(rows).toHaveLength(cases.length);
});

test('the largest-remainder split equals allocateByWeights, ties to the first row, negative totals negated', async () => {
  const rand = rng(7);
  const rows: [number, number, number, number][] = [];
  const groups: { total: number; weights: number[] }[] = [
    { total: 10, weights: [1, 1, 1] },
    { total: -10, weights: [1, 1, 1] },
    { total: 100, weights: [3, 3, 3, 1] },
  ];
  for (let g = 0; g < 40; g++) {
    const n = 1 + Math.floor(rand() * 8);
    groups.push({ total: Math.round((rand() - 0.3) * 100_000), weights: Array.from({ length: n }, () => Math.floor(rand() * 5000) + 1) });
  }
  groups.forEach((g, gi) => g.weights.forEach((w, i) => rows.push([gi, i, g.total, w])));
  const src = `(${valuesQuery(['g', 'i', 'total', 'weight'], rows)}) AS src`;
  const out = await query(`SELECT g, i, part FROM (${largestRemainder(duck, src, ['g', 'i', 'total', 'weight'], ['g'], 'i')}) AS x ORDER BY g, i`);
  const expected = groups.flatMap((g, gi) => allocateByWeights(g.total, g.weights).map((part, i) => ({ g: gi, i, part })));
  expect(out).toEqual(expected);
});

describe('the BigQuery rendering', () => {
  const statements = modelStatements(bigQueryDialect('my-project', 'tiktok_shop'), 'tables');

  test('defines the helpers as dataset functions and every step, in order', () => {
    expect(statements.filter((s) => s.startsWith('CREATE OR REPLACE FUNCTION `my-project.tiktok_shop.'))).toHaveLength(duck.helpers().length);
    const created = statements.map((s) => /^CREATE OR REPLACE (?:TABLE|VIEW|FUNCTION) `my-project\.tiktok_shop\.(\w+)`/.exec(s)?.[1]);
    expect(created.slice(-VIEWS.length)).toEqual(VIEWS.map((v) => v.name));
  });

  test('keeps none of DuckDB’s own spellings, and names every table it reads with its dataset', () => {
    const text = statements.join('\n');
    for (const duckOnly of ['//', ' % ', 'timezone(', 'epoch(', 'to_timestamp(', 'wh_shop_day(', 'BY NAME', 'EXCLUDE']) {
      expect({ duckOnly, found: text.includes(duckOnly) }).toEqual({ duckOnly, found: false });
    }
    const names = new Set([...TABLES.map((t) => t.name), ...VIEWS.map((v) => v.name)]);
    const unqualified = [...text.matchAll(/\b(?:FROM|JOIN)\s+([a-z_]+)\b/g)].map((m) => m[1]).filter((n) => names.has(n));
    expect(unqualified).toEqual([]);
  });

  test('is the DuckDB text with only the names and helper spellings changed', () => {
    const bq = bigQueryDialect('p', 'd');
    for (const v of VIEWS) {
      const a = v.query(bq).replace(/`p\.d\.(\w+)`/g, '$1');
      const b = v.query(duck).replace(/\bwh_(shop_day|day_start|add_days|idiv|imod|div_round|mul_div_round)\b/g, '$1');
      expect({ view: v.name, same: a === b }).toEqual({ view: v.name, same: true });
    }
  });
});
