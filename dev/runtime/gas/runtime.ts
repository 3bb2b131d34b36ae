/**
 * A local Apps Script runtime: runs the TEXT of dist/Code.js in a fresh bare `vm` context per
 * execution (no require, process, Buffer, setTimeout or fetch — only the Apps Script services
 * below), with state that outlives executions the way Apps Script's does: the spreadsheet,
 * properties, caches, locks and triggers belong to the runtime; the script's globals do not
 * (every execution re-evaluates Code.js, as Apps Script does).
 *
 *   const rt = new GasRuntime({ distDir });               // or { code, distDir }
 *   rt.run('onOpen', { authMode: 'NONE' });               // calls a global of the bundle
 *   rt.run('importOrders', runOptions({ budgetMs: 5000 })); // trailing RunOptions = options
 *   const a = rt.begin(); a.call('f'); … a.end();          // an execution kept open (lock contention)
 *
 * Execution budget: each execution has a deadline (default 6 minutes of the runtime clock).
 * Every service call checks it, and so do Utilities.sleep and lock waits; once passed the call
 * throws "Exceeded maximum execution time" into the script, and every later call throws again,
 * so catching it does not help; `run` then throws ExecutionKilledError. With the real clock the
 * vm's own timeout also stops pure-JavaScript loops that make no service call. An execution can
 * also be killed after N service calls (`killAfterCalls`) to test interruption at any point.
 * What was written before the kill (cells, properties, cache, triggers) stays.
 */
import { BigQueryServiceModel } from './bigquery';
import { existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import vm from 'node:vm';
import type { HttpRequest, Transport } from '../../../src/tiktok/ports';
import { sleepSync } from '../node-ports';
import { SyncFetchTransport } from '../sync-fetch';
import { EXCEEDED_MESSAGE, ExecutionKilledError, Realm, unwrap, type CallGate } from './host';
import {
  CacheServiceModel,
  CacheStore,
  ChartsModel,
  HtmlServiceModel,
  LockServiceModel,
  LockState,
  LoggerModel,
  PropertiesServiceModel,
  PropertyStore,
  ScriptAppModel,
  SessionModel,
  SpreadsheetAppModel,
  StateTokenStore,
  TriggerState,
  UrlFetchAppModel,
  UtilitiesModel,
  whitelistPrefixProblem,
  type UrlFetchPolicy,
  type ExecutionEnv,
  type RuntimeClock,
  type UiRecord,
} from './services';
import { SpreadsheetModel } from './spreadsheet';
import { saveXlsx } from './xlsx';

export const DEFAULT_BUDGET_MS = 6 * 60 * 1000;

/** Wall time: sleep blocks the thread. */
export class RealClock implements RuntimeClock {
  readonly real = true;
  nowMs(): number {
    return Date.now();
  }
  sleep(ms: number): void {
    sleepSync(ms);
  }
}

/** Virtual time: sleep and lock waits advance it instantly; tests move it with advance/set. */
export class ManualClock implements RuntimeClock {
  constructor(private now = Date.UTC(2026, 0, 1)) {}
  nowMs(): number {
    return this.now;
  }
  sleep(ms: number): void {
    this.now += Math.max(0, ms);
  }
  advance(ms: number): void {
    this.now += ms;
  }
  set(ms: number): void {
    this.now = ms;
  }
}

export interface GasRuntimeOptions {
  /** The bundle's text; default: <distDir>/Code.js. */
  code?: string;
  /** Where Code.js and the *.html files are (HtmlService); default: dist/ of the repository. */
  distDir?: string;
  /** Default: RealClock. A ManualClock makes time virtual (and the script's Date follows it). */
  clock?: RuntimeClock;
  /** Default deadline of every execution, ms of the clock (default 6 minutes). */
  budgetMs?: number;
  /**
   * Safety net with a ManualClock: wall-time limit of one call into the script, ms (default 30 000),
   * so a loop that makes no service call cannot hang a test. Counts as "Exceeded maximum execution time".
   */
  wallTimeoutMs?: number;
  /** Clock time each service call costs (ManualClock: advances it), ms; default 0. */
  msPerCall?: number;
  /** HTTP for UrlFetchApp; default a SyncFetchTransport created on first use (closed by close()). */
  transport?: Transport;
  /** The active (and effective) user; default user@example.com. Change it later with setActiveUser. */
  user?: string;
  /**
   * The manifest; default: <distDir>/appsscript.json when that file exists. Its urlFetchWhitelist
   * (when present) restricts UrlFetchApp as Apps Script does; invalid prefixes are refused here
   * as Apps Script refuses to save such a manifest. `null`: no manifest.
   */
  manifest?: { urlFetchWhitelist?: string[]; [key: string]: unknown } | null;
  /**
   * origin → base URL, e.g. { 'https://open-api.tiktokglobalshop.com': 'http://127.0.0.1:8080' }:
   * a request to that origin, once it passed the whitelist, is sent to the base URL instead (path
   * and query kept). The script, errors and `requests` still see the real URL.
   */
  hostMap?: Record<string, string>;
  timeZone?: string;
  locale?: string;
  spreadsheetName?: string;
  /**
   * Google Cloud project of the BigQuery advanced service stand-in (bigquery.ts, DuckDB behind
   * BigQuery's shapes). The script sees `BigQuery` only when the manifest enables the advanced
   * service, as in Apps Script; default project 'local-project'.
   */
  bigQueryProject?: string;
}

/** Per-run options; pass as the LAST argument of run() (use runOptions()). */
export class RunOptions {
  constructor(
    readonly budgetMs?: number,
    readonly killAfterCalls?: number,
  ) {}
}

export function runOptions(o: { budgetMs?: number; killAfterCalls?: number }): RunOptions {
  return new RunOptions(o.budgetMs, o.killAfterCalls);
}

export interface LogEntry {
  execution: number;
  level: string;
  args: unknown[];
}

/** dist/ of the repository (CommonJS under jest; from the working directory under ESM). */
const repoDist = () => (typeof __dirname !== 'undefined' ? join(__dirname, '../../../dist') : join(process.cwd(), 'dist'));

/**
 * Stores scoped like Apps Script's: one for the document (shared by every user of it), one for
 * the script (shared by every user of the script), and one per user; `user` is the active user's.
 */
export class ScopedStores<T> {
  readonly document: T;
  readonly script: T;
  private readonly perUser = new Map<string, T>();
  constructor(
    private readonly make: () => T,
    private readonly activeUser: () => string,
  ) {
    this.document = make();
    this.script = make();
  }
  /** The active user's store. */
  get user(): T {
    return this.forUser(this.activeUser());
  }
  forUser(email: string): T {
    let store = this.perUser.get(email);
    if (!store) this.perUser.set(email, (store = this.make()));
    return store;
  }
  /** Users that have a store so far. */
  users(): string[] {
    return [...this.perUser.keys()];
  }
}

/** What `userCallback` throws when the state token is missing, unknown, expired or another user's. */
export class UserCallbackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserCallbackError';
  }
}

/** The page Google's usercallback endpoint shows for such a token (field reports, apps-script-oauth1#2, apps-script-oauth2#341). */
export const INVALID_STATE_MESSAGE = 'The state token is invalid or has expired. Please try again.';

/** The global name of the BigQuery advanced service when the manifest enables it (dependencies.enabledAdvancedServices), else null. */
function bigQuerySymbol(manifest: GasRuntimeOptions['manifest']): string | null {
  const deps = manifest?.dependencies as { enabledAdvancedServices?: { serviceId?: string; userSymbol?: string }[] } | undefined;
  const entry = (deps?.enabledAdvancedServices ?? []).find((s) => s.serviceId === 'bigquery');
  return entry ? entry.userSymbol ?? 'BigQuery' : null;
}

function readManifest(distDir: string): GasRuntimeOptions['manifest'] {
  const path = join(distDir, 'appsscript.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as GasRuntimeOptions['manifest']) : null;
}

export class GasRuntime {
  readonly clock: RuntimeClock;
  readonly spreadsheet: SpreadsheetModel;
  /** The active user (Session, user properties/cache/lock, state tokens); see setActiveUser. */
  activeUser: string;
  readonly properties = new ScopedStores(() => new PropertyStore(), () => this.activeUser);
  readonly caches = new ScopedStores(() => new CacheStore(), () => this.activeUser);
  readonly locks = new ScopedStores(() => new LockState(), () => this.activeUser);
  readonly triggerState = new TriggerState();
  /** State tokens created by ScriptApp.newStateToken(), by token. */
  readonly stateTokens = new StateTokenStore();
  /** The manifest read at construction (or given), null without one. */
  readonly manifest: GasRuntimeOptions['manifest'];
  readonly urlFetchPolicy: UrlFetchPolicy;
  readonly ui: UiRecord = { menus: [], sidebars: [], dialogs: [], alerts: [] };
  /** Every HTTP request UrlFetchApp sent, in order. */
  readonly requests: HttpRequest[] = [];
  readonly logs: LogEntry[] = [];
  readonly scriptId = 'local-' + randomUUID();
  private readonly code: string;
  private readonly distDir: string;
  private transport: Transport | null;
  private ownTransport: SyncFetchTransport | null = null;
  private nextExecution = 1;
  private bigQueryModel: BigQueryServiceModel | null = null;

  constructor(private readonly options: GasRuntimeOptions = {}) {
    this.distDir = options.distDir ?? repoDist();
    this.code = options.code ?? readFileSync(join(this.distDir, 'Code.js'), 'utf8');
    this.clock = options.clock ?? new RealClock();
    this.transport = options.transport ?? null;
    this.spreadsheet = new SpreadsheetModel(randomUUID().replace(/-/g, ''), options.spreadsheetName ?? 'Untitled spreadsheet');
    this.activeUser = options.user ?? 'user@example.com';
    this.manifest = options.manifest === undefined ? readManifest(this.distDir) : options.manifest;
    const whitelist = this.manifest?.urlFetchWhitelist;
    if (whitelist !== undefined) {
      if (!Array.isArray(whitelist)) throw new Error('appsscript.json has errors: urlFetchWhitelist must be a list of URL prefixes.');
      for (const prefix of whitelist) {
        const problem = whitelistPrefixProblem(String(prefix));
        if (problem) throw new Error(`appsscript.json has errors: urlFetchWhitelist "${prefix}": ${problem}.`);
      }
    }
    this.urlFetchPolicy = { whitelist: whitelist === undefined ? null : whitelist.map(String), hostMap: { ...(options.hostMap ?? {}) } };
  }

  /** The user the next executions run as (and whose user stores they see). */
  setActiveUser(email: string): void {
    this.activeUser = email;
  }

  /** Google's OAuth redirect URI for this script: https://script.google.com/macros/d/{ID}/usercallback. */
  userCallbackUrl(): string {
    return `https://script.google.com/macros/d/${this.scriptId}/usercallback`;
  }

  /**
   * What a browser hitting `userCallbackUrl?…query` causes: the state token (query.state) is
   * decoded; a missing, unknown or expired one (runtime clock), or one made for another user,
   * is refused (UserCallbackError, Google's page text) without running anything; otherwise the
   * token's method runs in a new execution with the request
   * `{ parameter: {...query, ...token arguments}, parameters: {name: [value]} }`, and what it
   * returns (an HtmlOutput: its host model) is returned.
   */
  userCallback(query: Record<string, string>, opts: RunOptions = new RunOptions()): unknown {
    const token = query.state;
    const entry = token === undefined ? undefined : this.stateTokens.tokens.get(String(token));
    if (!entry || entry.expiresAt <= this.clock.nowMs() || entry.user !== this.activeUser) throw new UserCallbackError(INVALID_STATE_MESSAGE);
    const parameter: Record<string, string> = {};
    for (const [k, v] of Object.entries(query)) parameter[k] = String(v);
    Object.assign(parameter, entry.args);
    const parameters = Object.fromEntries(Object.entries(parameter).map(([k, v]) => [k, [v]]));
    return unwrap(this.run(entry.method, { parameter, parameters }, opts));
  }

  /** Saves the spreadsheet as .xlsx (see xlsx.ts for what is carried). */
  saveXlsx(filePath: string): Promise<void> {
    return saveXlsx(this.spreadsheet, filePath);
  }

  get triggers() {
    return this.triggerState.triggers;
  }

  /** Starts an execution: a fresh context with Code.js evaluated in it. End it with end(). */
  begin(opts: RunOptions | { budgetMs?: number; killAfterCalls?: number } = {}): Execution {
    return new Execution(this, this.nextExecution++, opts.budgetMs ?? this.options.budgetMs ?? DEFAULT_BUDGET_MS, opts.killAfterCalls, this.options.msPerCall ?? 0);
  }

  /** One execution calling global `name` with `args` (JSON-like values); a trailing RunOptions sets the budget. */
  run(name: string, ...args: unknown[]): unknown {
    const last = args[args.length - 1];
    const opts = last instanceof RunOptions ? (args.pop() as RunOptions) : new RunOptions();
    const execution = this.begin(opts);
    try {
      return execution.call(name, ...args);
    } finally {
      execution.end();
    }
  }

  /**
   * The BigQuery stand-in when the manifest enables the advanced service (its state outlives
   * executions, as a dataset does), else null.
   */
  get bigQuery(): BigQueryServiceModel | null {
    if (!bigQuerySymbol(this.manifest)) return null;
    this.bigQueryModel ??= new BigQueryServiceModel(this.options.bigQueryProject ?? 'local-project', () => this.clock.nowMs());
    return this.bigQueryModel;
  }

  /** Stops the fetch worker if this runtime started it, and the BigQuery stand-in's database. */
  async close(): Promise<void> {
    this.bigQueryModel?._close();
    this.bigQueryModel = null;
    const t = this.ownTransport;
    this.ownTransport = null;
    if (t) await t.close();
  }

  /** @internal */
  _code(): string {
    return this.code;
  }
  /** @internal */
  _distDir(): string {
    return this.distDir;
  }
  /** @internal */
  _transport(): Transport {
    if (!this.transport) {
      this.ownTransport = new SyncFetchTransport();
      this.transport = this.ownTransport;
    }
    return this.transport;
  }
  /** @internal */
  _options(): GasRuntimeOptions {
    return this.options;
  }
}

export class Execution implements CallGate, ExecutionEnv {
  readonly context: vm.Context;
  readonly realm: Realm;
  readonly startedAt: number;
  readonly deadline: number;
  serviceCalls = 0;
  killed = false;
  ended = false;

  constructor(
    private readonly runtime: GasRuntime,
    readonly id: number,
    readonly budgetMs: number,
    private readonly killAfterCalls: number | undefined,
    private readonly msPerCall: number,
  ) {
    this.startedAt = runtime.clock.nowMs();
    this.deadline = this.startedAt + budgetMs;
    this.context = vm.createContext({});
    this.realm = new Realm(this.context, this);
    this.install();
    this.inContext(runtime._code(), 'Code.js');
  }

  get clock(): RuntimeClock {
    return this.runtime.clock;
  }

  private install(): void {
    const rt = this.runtime;
    const o = rt._options();
    const g = this.context as Record<string, unknown>;
    const w = (x: import('./host').HostObject) => this.realm.wrap(x);
    g.SpreadsheetApp = w(new SpreadsheetAppModel(rt.spreadsheet, rt.ui));
    // An execution runs as one user: its user stores are bound when it starts.
    const scoped = <T>(s: ScopedStores<T>) => ({ user: s.user, document: s.document, script: s.script });
    g.PropertiesService = w(new PropertiesServiceModel(scoped(rt.properties)));
    g.CacheService = w(new CacheServiceModel(scoped(rt.caches), rt.clock));
    g.LockService = w(new LockServiceModel(scoped(rt.locks), this));
    g.Utilities = w(new UtilitiesModel(this));
    g.UrlFetchApp = w(new UrlFetchAppModel(() => rt._transport(), (r) => rt.requests.push(r), rt.urlFetchPolicy));
    g.ScriptApp = w(new ScriptAppModel(rt.triggerState, rt.scriptId, rt.stateTokens, rt.clock, rt.activeUser));
    g.HtmlService = w(new HtmlServiceModel(rt._distDir()));
    g.Session = w(new SessionModel({ activeUser: rt.activeUser, effectiveUser: rt.activeUser, timeZone: o.timeZone ?? 'Etc/UTC', locale: o.locale ?? 'en' }));
    g.Logger = w(new LoggerModel(this));
    g.Charts = w(new ChartsModel());
    const bigQuery = rt.bigQuery;
    if (bigQuery) g[bigQuerySymbol(rt.manifest)!] = w(bigQuery);
    const log = (level: string) => (...args: unknown[]) => this.log(level, args);
    g.console = vm.runInContext('({})', this.context);
    Object.assign(g.console as object, { log: log('log'), info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') });
    if (!(rt.clock instanceof RealClock)) {
      // The script's clock is the runtime's: new Date() and Date.now() follow a ManualClock.
      (vm.runInContext(
        `(function (now) {
          var RealDate = Date;
          function ClockDate(a, b, c, d, e, f, g) {
            if (!(this instanceof ClockDate)) return new RealDate(now()).toString();
            var n = arguments.length;
            return n === 0 ? new RealDate(now()) : n === 1 ? new RealDate(a) : new RealDate(a, b, n > 2 ? c : 1, n > 3 ? d : 0, n > 4 ? e : 0, n > 5 ? f : 0, n > 6 ? g : 0);
          }
          ClockDate.prototype = RealDate.prototype;
          ClockDate.now = function () { return now(); };
          ClockDate.UTC = RealDate.UTC;
          ClockDate.parse = RealDate.parse;
          Object.defineProperty(RealDate.prototype, 'constructor', { value: ClockDate, writable: true, configurable: true });
          Date = ClockDate;
        })`,
        this.context,
      ) as (now: () => number) => void)(() => rt.clock.nowMs());
    }
  }

  log(level: string, args: unknown[]): void {
    this.runtime.logs.push({ execution: this.id, level, args });
  }

  /** The gate every service call passes. */
  beforeCall(_label: string): void {
    if (this.ended) throw this.realm.error('This execution has ended.');
    if (this.killed) throw this.realm.error(EXCEEDED_MESSAGE);
    this.serviceCalls++;
    if (this.killAfterCalls !== undefined && this.serviceCalls > this.killAfterCalls) this.kill();
    if (this.msPerCall > 0) {
      const clock = this.runtime.clock;
      if (clock.charge) clock.charge(this.msPerCall);
      else clock.sleep(this.msPerCall);
    }
    this.checkDeadline();
  }

  checkDeadline(): void {
    if (this.killed || this.runtime.clock.nowMs() >= this.deadline) this.kill();
  }

  private kill(): never {
    this.killed = true;
    throw this.realm.error(EXCEEDED_MESSAGE);
  }

  private inContext(code: string, filename: string): unknown {
    const real = this.runtime.clock instanceof RealClock;
    const remaining = this.deadline - this.runtime.clock.nowMs();
    if (remaining <= 0) this.killed = true;
    if (this.killed) throw new ExecutionKilledError(EXCEEDED_MESSAGE, this.serviceCalls);
    let result: unknown;
    try {
      const timeout = real ? Math.max(1, Math.ceil(remaining)) : (this.runtime._options().wallTimeoutMs ?? 30_000);
      result = vm.runInContext(code, this.context, { filename, timeout });
    } catch (err) {
      if ((err as { code?: string })?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') this.killed = true;
      if (this.killed) throw new ExecutionKilledError(EXCEEDED_MESSAGE, this.serviceCalls);
      throw err;
    }
    // Caught and ignored inside the script or not: a killed execution is dead.
    if (this.killed) throw new ExecutionKilledError(EXCEEDED_MESSAGE, this.serviceCalls);
    return result;
  }

  /** Calls global `name` of the bundle with JSON-like `args` (copied into the script's realm). */
  call(name: string, ...args: unknown[]): unknown {
    if (this.ended) throw new Error('execution has ended');
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new Error(`not a function name: ${name}`);
    const g = this.context as Record<string, unknown>;
    if (typeof g[name] !== 'function') throw new Error(`Script function not found: ${name}`);
    g.__gasArgs = this.realm.toRealm(args);
    try {
      return this.inContext(`${name}.apply(this, __gasArgs)`, `call:${name}`);
    } finally {
      delete g.__gasArgs;
    }
  }

  /** Evaluates script text in this execution (tests). */
  eval(code: string): unknown {
    if (this.ended) throw new Error('execution has ended');
    return this.inContext(code, 'eval');
  }

  /** Ends the execution; Apps Script releases the locks a script still holds when it ends. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const { locks } = this.runtime;
    for (const lock of [locks.document, locks.script, ...locks.users().map((u) => locks.forUser(u))]) if (lock.holder === this.id) lock.holder = null;
  }
}
