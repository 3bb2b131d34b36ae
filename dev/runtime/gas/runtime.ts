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
import v8 from 'node:v8';
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
  type TriggerModel,
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
import {
  AUTH_MODES, CUSTOM_FUNCTION_LIMIT_MS, MEMORY_MESSAGE, refusal, SCRIPT_RUN_PAYLOAD_LIMIT, SIMPLE_TRIGGER_LIMIT_MS, SIMPLE_TRIGGERS,
  TRIGGER_QUOTA_MESSAGE, TRIGGER_QUOTA_MS, type AccountKind, type AuthMode, type CostModel,
} from './costs';
import { nextFiring } from './triggers';

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
  /** Clock time each service call costs (ManualClock: advances it), ms; default 0. Same as costs.callMs. */
  msPerCall?: number;
  /**
   * What calls cost (costs.ts): per call, and per cell a spreadsheet call reads or writes or a
   * custom function is handed. GOOGLE_COSTS is the calibrated model; default: msPerCall per call, cells free.
   */
  costs?: Partial<CostModel>;
  /** Whose daily trigger-runtime quota applies: 90 min (consumer, default) or 6 h (Workspace). */
  account?: AccountKind;
  /**
   * Heap growth an execution may reach before it is killed with "Exceeded memory limit" (bytes);
   * default null: measured (Execution.peakHeapBytes) but not enforced, because the host's
   * spreadsheet model shares the heap with the script (see docs/local-runtime.md).
   */
  heapBudgetBytes?: number | null;
  /** The heap in use (bytes); default V8's used_heap_size. A seam for tests of the budget rule. */
  heapUsed?: () => number;
  /** The bundle is an add-on: time-driven triggers at most hourly (default false). */
  addOn?: boolean;
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
  /** The script's time zone (the manifest's timeZone): Session.getScriptTimeZone, triggers without inTimezone. */
  timeZone?: string;
  /** The spreadsheet's time zone (default Etc/UTC): date cells are wall-clock times in it. */
  spreadsheetTimeZone?: string;
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
    /** What the execution may call (costs.ts refusal); default FULL, or a simple trigger's event.authMode. */
    readonly authMode?: AuthMode,
  ) {}
}

export function runOptions(o: { budgetMs?: number; killAfterCalls?: number; authMode?: AuthMode }): RunOptions {
  return new RunOptions(o.budgetMs, o.killAfterCalls, o.authMode);
}

/** What google.script.run refuses: an argument list or a result larger than the cap (costs.ts). */
export class PayloadTooLargeError extends Error {
  constructor(readonly what: 'arguments' | 'result', readonly bytes: number) {
    super(`google.script.run: the ${what} of this call are ${bytes} bytes of JSON, over the ${SCRIPT_RUN_PAYLOAD_LIMIT}-byte cap (docs/local-runtime.md).`);
    this.name = 'PayloadTooLargeError';
  }
}

/** One time-driven trigger run, as `runTriggersUntil` records it. */
export interface TriggerRun {
  trigger: string;
  handler: string;
  user: string;
  /** When it fired (runtime clock, ms). */
  at: number;
  /** Simulated ms it ran (0 when refused for quota). */
  ms: number;
  outcome: 'ok' | 'error' | 'killed' | 'quota';
  error?: string;
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
  /** Every time-driven trigger run so far (runTriggersUntil). */
  readonly triggerRuns: TriggerRun[] = [];
  /** Trigger runtime used per user per day (UTC day → ms), for the daily quota. */
  readonly triggerRuntime = new Map<string, number>();
  /** The largest heap growth any execution reached (bytes, sampled at service calls). */
  peakHeapBytes = 0;
  /** The execution whose service call is running (cells are charged to it). */
  _active: Execution | null = null;
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
    this.triggerState.addOn = Boolean(options.addOn);
    this.spreadsheet._meter = (kind, cells) => this._active?.chargeCells(kind, cells);
    if (options.spreadsheetTimeZone) this.spreadsheet.setSpreadsheetTimeZone(options.spreadsheetTimeZone);
  }

  /** The cost model in force (costs.ts). */
  costs(): CostModel {
    const c = this.options.costs ?? {};
    return { callMs: c.callMs ?? this.options.msPerCall ?? 0, readMsPerCell: c.readMsPerCell ?? 0, writeMsPerCell: c.writeMsPerCell ?? 0, marshalMsPerCell: c.marshalMsPerCell ?? 0 };
  }

  /**
   * A custom function, as Sheets runs it from a cell: AuthMode.CUSTOM_FUNCTION (spreadsheet
   * read-only, no service needing authorization), 30 s, and the cells of its range arguments
   * charged (marshalMsPerCell) before it starts. A run past 30 s throws ExecutionKilledError.
   */
  customFunction(name: string, ...args: unknown[]): unknown {
    const cells = args.reduce<number>((n, a) => n + (Array.isArray(a) ? a.reduce<number>((m, row) => m + (Array.isArray(row) ? row.length : 1), 0) : 1), 0);
    const execution = this.begin({ budgetMs: CUSTOM_FUNCTION_LIMIT_MS, authMode: 'CUSTOM_FUNCTION' });
    try {
      // Sheets hands the ranges over before the function starts: the time counts against its 30 s.
      const ms = cells * this.costs().marshalMsPerCell;
      if (ms > 0) (this.clock.charge ? this.clock.charge(ms) : this.clock.sleep(ms));
      return execution.call(name, ...args);
    } finally {
      execution.end();
    }
  }

  /**
   * A google.script.run call from the sidebar: the arguments come as JSON text (what the page
   * sends) and the result goes back as JSON text; either over SCRIPT_RUN_PAYLOAD_LIMIT bytes is
   * refused (PayloadTooLargeError) — the arguments before anything runs.
   */
  scriptRun(name: string, argsJson: string): string {
    const inBytes = Buffer.byteLength(argsJson, 'utf8');
    if (inBytes > SCRIPT_RUN_PAYLOAD_LIMIT) throw new PayloadTooLargeError('arguments', inBytes);
    const value = this.run(name, ...(JSON.parse(argsJson) as unknown[]));
    const out = JSON.stringify(value === undefined ? null : value);
    const outBytes = Buffer.byteLength(out, 'utf8');
    if (outBytes > SCRIPT_RUN_PAYLOAD_LIMIT) throw new PayloadTooLargeError('result', outBytes);
    return out;
  }

  /**
   * Moves the clock to `untilMs`, firing every time-driven trigger that comes due on the way, in
   * time order (triggers.ts: everyHours, everyDays at an hour, after, at). Each run is an
   * execution of its handler as the user who created the trigger (AuthMode.FULL), with the event
   * { authMode, triggerUid }. A user's trigger runs share a daily runtime quota (account:
   * consumer 90 min, Workspace 6 h, by UTC day): once it is spent a run is refused; a run never
   * gets more than what is left of it. One-off triggers (after, at) are deleted once they ran.
   * Needs a clock with `set` (ManualClock, the session clock). Returns the runs made.
   */
  runTriggersUntil(untilMs: number): TriggerRun[] {
    const clock = this.clock as RuntimeClock & { set?: (ms: number) => void };
    if (typeof clock.set !== 'function') throw new Error('runTriggersUntil needs a clock that can be set (ManualClock)');
    const runs: TriggerRun[] = [];
    const quota = TRIGGER_QUOTA_MS[this.options.account ?? 'consumer'];
    for (;;) {
      let next: { trigger: TriggerModel; at: number } | null = null;
      for (const t of this.triggers) {
        if (t.getEventType() !== 'CLOCK') continue;
        const at = nextFiring(t, this.clock.nowMs(), this.options.timeZone ?? 'Etc/UTC');
        if (at !== null && at <= untilMs && (!next || at < next.at)) next = { trigger: t, at };
      }
      if (!next) break;
      const { trigger, at } = next;
      clock.set(Math.max(at, this.clock.nowMs()));
      trigger._lastFired = at;
      const day = `${trigger._user}|${new Date(at).toISOString().slice(0, 10)}`;
      const used = this.triggerRuntime.get(day) ?? 0;
      const run: TriggerRun = { trigger: trigger.uniqueId, handler: trigger.handlerFunction, user: trigger._user, at, ms: 0, outcome: 'ok' };
      if (trigger.schedule.some((c) => c.method === 'after' || c.method === 'at')) {
        const i = this.triggers.indexOf(trigger);
        if (i >= 0) this.triggerState.triggers.splice(i, 1);
      }
      if (used >= quota) {
        run.outcome = 'quota';
        run.error = TRIGGER_QUOTA_MESSAGE;
      } else {
        const previousUser = this.activeUser;
        this.activeUser = trigger._user;
        const started = this.clock.nowMs();
        try {
          this.run(trigger.handlerFunction, { authMode: 'FULL', triggerUid: trigger.uniqueId }, runOptions({ budgetMs: Math.min(this.options.budgetMs ?? DEFAULT_BUDGET_MS, quota - used), authMode: 'FULL' }));
        } catch (e) {
          run.outcome = e instanceof ExecutionKilledError ? 'killed' : 'error';
          run.error = (e as Error).message;
        } finally {
          this.activeUser = previousUser;
        }
        run.ms = this.clock.nowMs() - started;
        this.triggerRuntime.set(day, used + run.ms);
      }
      runs.push(run);
      this.triggerRuns.push(run);
    }
    if (this.clock.nowMs() < untilMs) clock.set(untilMs);
    return runs;
  }

  /** Trigger runtime `user` used on the UTC day of `atMs` (ms). */
  triggerRuntimeUsed(user: string, atMs: number): number {
    return this.triggerRuntime.get(`${user}|${new Date(atMs).toISOString().slice(0, 10)}`) ?? 0;
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
  begin(opts: RunOptions | { budgetMs?: number; killAfterCalls?: number; authMode?: AuthMode } = {}): Execution {
    return new Execution(this, this.nextExecution++, opts.budgetMs ?? this.options.budgetMs ?? DEFAULT_BUDGET_MS, opts.killAfterCalls, opts.authMode ?? 'FULL');
  }

  /**
   * One execution calling global `name` with `args` (JSON-like values); a trailing RunOptions sets
   * the budget and the AuthMode. A simple trigger (onOpen, onInstall, onEdit) runs in its event's
   * authMode, with the 30-second limit of simple triggers when that mode is NONE or LIMITED.
   */
  run(name: string, ...args: unknown[]): unknown {
    const last = args[args.length - 1];
    let opts = last instanceof RunOptions ? (args.pop() as RunOptions) : new RunOptions();
    const eventMode = (args[0] as { authMode?: unknown } | undefined)?.authMode;
    if (opts.authMode === undefined && SIMPLE_TRIGGERS.has(name) && AUTH_MODES.includes(eventMode as AuthMode)) {
      const mode = eventMode as AuthMode;
      opts = new RunOptions(opts.budgetMs ?? (mode === 'FULL' ? undefined : SIMPLE_TRIGGER_LIMIT_MS), opts.killAfterCalls, mode);
    }
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
  _heapUsed(): number {
    return this.options.heapUsed ? this.options.heapUsed() : v8.getHeapStatistics().used_heap_size;
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
  /** Largest heap growth seen at a service call (bytes). */
  peakHeapBytes = 0;
  private readonly heapAtStart: number;
  private readonly costs: CostModel;

  constructor(
    private readonly runtime: GasRuntime,
    readonly id: number,
    readonly budgetMs: number,
    private readonly killAfterCalls: number | undefined,
    readonly authMode: AuthMode = 'FULL',
  ) {
    this.costs = runtime.costs();
    this.heapAtStart = runtime._heapUsed();
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

  /** The gate every service call passes: AuthMode, call budget, time (cost model), heap. */
  beforeCall(label: string): void {
    if (this.ended) throw this.realm.error('This execution has ended.');
    if (this.killed) throw this.realm.error(this.killMessage);
    const refused = refusal(this.authMode, label);
    if (refused) throw this.realm.error(refused);
    this.serviceCalls++;
    this.runtime._active = this;
    if (this.killAfterCalls !== undefined && this.serviceCalls > this.killAfterCalls) this.kill();
    this.sampleHeap();
    this.charge(this.costs.callMs);
  }

  /** Simulated time spent (ms): the clock moves on, and the deadline is checked. */
  charge(ms: number): void {
    if (ms > 0) {
      const clock = this.runtime.clock;
      if (clock.charge) clock.charge(ms);
      else clock.sleep(ms);
    }
    this.checkDeadline();
  }

  /** The cells a spreadsheet call moved (called by the spreadsheet model during the call). */
  chargeCells(kind: 'read' | 'write', cells: number): void {
    this.charge(cells * (kind === 'read' ? this.costs.readMsPerCell : this.costs.writeMsPerCell));
  }

  private killMessage = EXCEEDED_MESSAGE;

  private sampleHeap(): void {
    const grown = this.runtime._heapUsed() - this.heapAtStart;
    if (grown > this.peakHeapBytes) this.peakHeapBytes = grown;
    if (grown > this.runtime.peakHeapBytes) this.runtime.peakHeapBytes = grown;
    const budget = this.runtime._options().heapBudgetBytes;
    if (budget != null && grown > budget) {
      this.killMessage = MEMORY_MESSAGE;
      this.kill();
    }
  }

  checkDeadline(): void {
    if (this.killed || this.runtime.clock.nowMs() >= this.deadline) this.kill();
  }

  private kill(): never {
    this.killed = true;
    throw this.realm.error(this.killMessage);
  }

  private inContext(code: string, filename: string): unknown {
    const real = this.runtime.clock instanceof RealClock;
    const remaining = this.deadline - this.runtime.clock.nowMs();
    if (remaining <= 0) this.killed = true;
    if (this.killed) throw new ExecutionKilledError(this.killMessage, this.serviceCalls);
    let result: unknown;
    try {
      const timeout = real ? Math.max(1, Math.ceil(remaining)) : (this.runtime._options().wallTimeoutMs ?? 30_000);
      result = vm.runInContext(code, this.context, { filename, timeout });
    } catch (err) {
      if ((err as { code?: string })?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') this.killed = true;
      if (this.killed) throw new ExecutionKilledError(this.killMessage, this.serviceCalls);
      throw err;
    }
    // Caught and ignored inside the script or not: a killed execution is dead.
    if (this.killed) throw new ExecutionKilledError(this.killMessage, this.serviceCalls);
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
    if (this.runtime._active === this) this.runtime._active = null;
    const { locks } = this.runtime;
    for (const lock of [locks.document, locks.script, ...locks.users().map((u) => locks.forUser(u))]) if (lock.holder === this.id) lock.holder = null;
  }
}
