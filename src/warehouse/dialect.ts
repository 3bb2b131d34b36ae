/**
 * The two SQL engines the profit model runs on. The views (sql/*.ts) are one text, written in the
 * part of SQL both BigQuery and DuckDB accept; the few operations whose spelling differs (a shop
 * day from Unix seconds, integer division, exact rounding) are named functions, defined here once
 * per engine: persistent SQL UDFs in the BigQuery dataset, macros in DuckDB. Table and function
 * names are qualified by the dialect (`project.dataset.name` in BigQuery).
 */

export interface Dialect {
  name: 'bigquery' | 'duckdb';
  /** A table or view name as the views refer to it. */
  table(name: string): string;
  /** A helper function's name as the views call it. */
  fn(name: HelperName): string;
  /** Statements that define the helper functions (run before the views). */
  helpers(): string[];
  /** `CREATE OR REPLACE VIEW` of a query. */
  view(name: string, query: string): string;
  /** `CREATE OR REPLACE TABLE … AS` a query: the step computed once and stored. */
  materialize(name: string, query: string): string;
}

export type HelperName = 'shop_day' | 'day_start' | 'add_days' | 'idiv' | 'imod' | 'div_round' | 'mul_div_round';

interface HelperDef {
  params: [string, string][];
  returns: string;
  /** Body per engine; `{fn}` names another helper. */
  bigquery: string;
  duckdb: string;
}

/**
 * The helpers. div_round is money.ts's divRound: round(n / d), halves away from zero, on
 * integers only (2|n| + |d| over 2|d|, floored, then signed) so no float ever touches an amount.
 */
const HELPERS: Record<HelperName, HelperDef> = {
  shop_day: {
    params: [['t', 'INT64'], ['tz', 'STRING']], returns: 'DATE',
    bigquery: 'DATE(TIMESTAMP_SECONDS(t), tz)',
    duckdb: 'CAST(timezone(tz, to_timestamp(t)) AS DATE)',
  },
  day_start: {
    params: [['d', 'DATE'], ['tz', 'STRING']], returns: 'INT64',
    bigquery: 'UNIX_SECONDS(TIMESTAMP(d, tz))',
    duckdb: 'CAST(epoch(timezone(tz, CAST(d AS TIMESTAMP))) AS BIGINT)',
  },
  add_days: {
    params: [['d', 'DATE'], ['n', 'INT64']], returns: 'DATE',
    bigquery: 'DATE_ADD(d, INTERVAL n DAY)',
    duckdb: 'CAST(d + CAST(n AS INTEGER) AS DATE)',
  },
  // Non-negative operands only (the callers make them so).
  idiv: { params: [['a', 'INT64'], ['b', 'INT64']], returns: 'INT64', bigquery: 'DIV(a, b)', duckdb: '(a) // (b)' },
  imod: { params: [['a', 'INT64'], ['b', 'INT64']], returns: 'INT64', bigquery: 'MOD(a, b)', duckdb: '(a) % (b)' },
  div_round: {
    params: [['n', 'INT64'], ['d', 'INT64']], returns: 'INT64',
    bigquery: '(CASE WHEN (n < 0) <> (d < 0) THEN -1 ELSE 1 END) * {idiv}(2 * ABS(n) + ABS(d), 2 * ABS(d))',
    duckdb: '(CASE WHEN (n < 0) <> (d < 0) THEN -1 ELSE 1 END) * {idiv}(2 * ABS(CAST(n AS BIGINT)) + ABS(d), 2 * ABS(CAST(d AS BIGINT)))',
  },
  mul_div_round: {
    params: [['a', 'INT64'], ['n', 'INT64'], ['d', 'INT64']], returns: 'INT64',
    bigquery: '{div_round}(a * n, d)',
    // DuckDB macros are untyped: widen first, so two 32-bit literals cannot overflow.
    duckdb: '{div_round}(CAST(a AS BIGINT) * n, d)',
  },
};
/** Definition order: a helper after the helpers it calls. */
const HELPER_ORDER: HelperName[] = ['shop_day', 'day_start', 'add_days', 'idiv', 'imod', 'div_round', 'mul_div_round'];

function body(text: string, fn: (n: HelperName) => string): string {
  return text.replace(/\{(\w+)\}/g, (_, n: string) => fn(n as HelperName));
}

export function bigQueryDialect(project: string, dataset: string): Dialect {
  const q = (name: string) => `\`${project}.${dataset}.${name}\``;
  const d: Dialect = {
    name: 'bigquery',
    table: q,
    fn: q,
    helpers: () => HELPER_ORDER.map((n) => {
      const h = HELPERS[n];
      const params = h.params.map(([p, t]) => `${p} ${t}`).join(', ');
      return `CREATE OR REPLACE FUNCTION ${q(n)}(${params}) RETURNS ${h.returns} AS (${body(h.bigquery, d.fn)})`;
    }),
    view: (name, query) => `CREATE OR REPLACE VIEW ${q(name)} AS\n${query}`,
    materialize: (name, query) => `CREATE OR REPLACE TABLE ${q(name)} AS\n${query}`,
  };
  return d;
}

export const HELPER_NAMES: readonly HelperName[] = HELPER_ORDER;

/** The DuckDB macro of a helper, under the name `qualify(name)`, calling the other helpers by theirs. */
export function duckDbHelper(name: HelperName, qualify: (n: HelperName) => string): string {
  const h = HELPERS[name];
  return `CREATE OR REPLACE MACRO ${qualify(name)}(${h.params.map(([p]) => p).join(', ')}) AS (${body(h.duckdb, qualify)})`;
}

export function duckDbDialect(schema?: string): Dialect {
  const q = (name: string) => (schema ? `${schema}.${name}` : name);
  const d: Dialect = {
    name: 'duckdb',
    table: q,
    fn: (n) => `wh_${n}`,
    helpers: () => HELPER_ORDER.map((n) => duckDbHelper(n, d.fn)),
    view: (name, query) => `CREATE OR REPLACE VIEW ${q(name)} AS\n${query}`,
    materialize: (name, query) => `CREATE OR REPLACE TABLE ${q(name)} AS\n${query}`,
  };
  return d;
}
