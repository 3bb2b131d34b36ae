/**
 * Refresh as a resumable job: one call of `runRefreshChunk` does a bounded chunk of the sync and
 * returns; the sidebar (or a time trigger) calls it again until `done`. Pure logic over ports:
 * the TikTok client, the SheetGateway, a KeyValueStore (document properties in Apps Script:
 * NON-secret cursor state only — tokens live in user properties), a document Lock and a Clock.
 *
 * Design (the simplest correct one):
 * - A refresh RUN has one fixed window. The first run backfills `backfillDays` (default 90) up to
 *   now; later runs are incremental: `incrementalWindow(watermark, now, lookBacks)` (pull.ts),
 *   i.e. from the last complete run's end minus a look-back, to now.
 * - The run walks the resources one after the other; each resource's window is cut into time
 *   slices of `sliceSeconds` (default 7 days). A UNIT of work is one (resource, slice): one
 *   `pullShop` call with that single resource over that slice (pullShop walks the page chains of
 *   the slice to the end, de-duplicates, counts calls). The cursor is therefore (resource index,
 *   slice start), not a page token: a page token is only valid inside the execution that got it
 *   and re-walking one slice is cheap, so nothing finer is needed. A slice must fit the budget.
 * - A chunk runs units while the clock allows: before each unit it stops when
 *   now + the longest unit so far + safetyMarginMs would pass the deadline (the margin has to
 *   cover one unit and the writes). The chunk's records are merged in memory (mergePulled), then
 *   written with ONE upsert per tab (one read + at most one write per tab per chunk, never per
 *   row), THEN the checkpoint is saved.
 *
 * Why a kill at any point loses and duplicates nothing:
 * - Before the sheet writes: nothing was saved; the next chunk restarts from the old cursor and
 *   pulls the same slices again.
 * - Between tab writes, or after the writes but before the checkpoint: some or all tabs already
 *   hold the chunk's records, the cursor still points before them; the next chunk pulls the same
 *   slices again and upserts them by key — a row with the same key is replaced in place (same
 *   values: no write at all), never appended twice. A record changed meanwhile at TikTok comes
 *   back newer and wins (version field).
 * - After the checkpoint: the chunk is complete.
 * The checkpoint is a single property (one atomic set), so it is either old or new, never half.
 * The watermark moves to the run's window end only when every resource is done, so a run killed
 * for good is resumed, not skipped: nothing updated inside its window can be missed.
 *
 * Locking: `lock.tryLock(lockWaitMs)` (default 0); when another execution holds it the chunk
 * returns at once with reason 'another refresh is running'. The lock is released in `finally`
 * (Apps Script also releases it when an execution dies).
 */
import type { Clock, KeyValueStore, Lock } from '../tiktok/ports';
import type { TikTokShopClient } from '../tiktok/request';
import {
  emptyPulledData, incrementalWindow, mergePulled, pullShop, RESOURCES, totalCalls,
  type PulledData, type PullOptions, type PullResult, type PullWindow, type Resource,
} from '../tiktok/pull';
import { upsert, type SheetGateway, type UpsertResult } from './table';
import {
  CANCELLATIONS_TAB, CREATOR_ORDERS_TAB, ORDERS_TAB, ORDER_LINES_TAB, PAYOUTS_TAB, PRODUCTS_TAB, PRODUCT_PERFORMANCE_TAB,
  RETURNS_TAB, SETTLEMENTS_TAB, SHOP_PERFORMANCE_TAB, STATEMENTS_TAB, UNSETTLED_TAB, returnsToRows, type TabDef,
} from './tabs';

/** The document property holding the checkpoint (JSON, well under the 9 KB property limit). */
export const CHECKPOINT_KEY = 'tts.sync.checkpoint';
export const MAX_CHECKPOINT_BYTES = 9000;
export const ANOTHER_REFRESH = 'another refresh is running';

export type PullFn = (client: TikTokShopClient, window: PullWindow, options: PullOptions) => PullResult;

export interface RefreshDeps {
  client: TikTokShopClient;
  gateway: SheetGateway;
  /** Document properties: cursor state only, never a secret. */
  documentStore: KeyValueStore;
  /** The document lock. */
  lock: Lock;
  clock: Clock;
  /**
   * `deadlineMs`: Unix milliseconds by which the chunk must have returned. `maxCells`: the chunk
   * stops pulling once its records would write about this many cells (rows × tab width): writing
   * costs time per cell (docs/local-runtime.md), so a chunk must not pull more than it can write.
   */
  budget: { deadlineMs: number; safetyMarginMs: number; maxCells?: number; writeMsPerCell?: number };
  /** The pull (default pullShop); a seam for tests. */
  pull?: PullFn;
}

export interface RefreshOptions {
  /** The first refresh reads this many days (default 90). */
  backfillDays?: number;
  /** incrementalWindow look-backs (pull.ts defaults when absent). */
  lookBackSeconds?: number;
  statementLookBackSeconds?: number;
  createLookBackSeconds?: number;
  analyticsLookBackSeconds?: number;
  /** Resources of a NEW run (default all); a run in progress keeps its own list. */
  resources?: readonly Resource[];
  timeZone?: string;
  currency?: string;
  /** Length of one unit's time slice (default 7 days). */
  sliceSeconds?: number;
  /** How long to wait for the document lock (default 0: fail at once). */
  lockWaitMs?: number;
}

export interface RefreshResult {
  done: boolean;
  /** 0..1 over the current run (1 when done). */
  progress: number;
  /** Rows inserted + updated + removed on the data tabs by this chunk. */
  written: number;
  /** API calls made by this chunk. */
  calls: number;
  /** Units (resource × slice) completed by this chunk. */
  units: number;
  /** Why nothing was done (the lock is held, the budget is spent). */
  reason?: string;
  upserts: UpsertResult[];
}

interface Run {
  window: Required<PullWindow>;
  resources: Resource[];
  /** Index into resources of the resource being pulled (resources.length: done). */
  resource: number;
  /** Start of its next slice (Unix seconds). */
  sliceGe: number;
  /** The first run: the whole product catalog, and statements from before the payouts (see resourceWindow). */
  firstRun?: boolean;
  /** Rows were inserted, updated or removed by this run so far. */
  changed?: boolean;
  /** A chunk was writing (saved just before its writes): if it died there, rows may have changed. */
  writing?: boolean;
}

export interface Checkpoint {
  v: 1;
  /** End of the last COMPLETE run's update window (Unix seconds); null before the first. */
  watermark: number | null;
  run: Run | null;
  /** Runs completed so far: what the reports are built from (a run may end in the same second as the last). */
  completed?: number;
  /** The watermark before a "read everything again" reset (the data is still there until the new run ends). */
  previousWatermark?: number | null;
  /** Whether the last completed run changed any row (false: the reports need not be rewritten). */
  lastRunChanged?: boolean;
}

type WindowKind = 'update' | 'statement' | 'create' | 'analytics';
const WINDOW_OF: Record<Resource, WindowKind> = {
  orders: 'update', returns: 'update', cancellations: 'update', products: 'update',
  statements: 'statement', payments: 'statement',
  creatorOrders: 'create', unsettled: 'create',
  analytics: 'analytics',
};

/** Read in one piece over their whole window, not in slices: a catalog is small and not a stream. */
const UNSLICED: ReadonlySet<Resource> = new Set<Resource>(['products']);

/** On the first run, statements are read this much earlier than payouts (see resourceWindow). */
export const STATEMENT_LEAD_SECONDS = 31 * 86400;

/**
 * The window of one resource in a run. On the first run:
 * - products are searched by update time, and a product last edited before the backfill window
 *   is still on sale: the whole catalog is read;
 * - a payout pays every statement since the one before it, so the first payouts of the window
 *   pay statements from before it: statements start a month earlier than payouts, or the
 *   reconciliation would show those payouts as unexplained.
 * Later runs read what changed since the watermark.
 */
function resourceWindow(run: Pick<Run, 'window' | 'firstRun'>, resource: Resource): [number, number] {
  const [ge, lt] = windowOf(run.window, WINDOW_OF[resource]);
  if (!run.firstRun) return [ge, lt];
  if (resource === 'products') return [0, lt];
  if (resource === 'statements') return [Math.max(0, ge - STATEMENT_LEAD_SECONDS), lt];
  return [ge, lt];
}

function windowOf(w: Required<PullWindow>, kind: WindowKind): [number, number] {
  switch (kind) {
    case 'update': return [w.updateTimeGe, w.updateTimeLt];
    case 'statement': return [w.statementTimeGe, w.statementTimeLt];
    case 'create': return [w.createTimeGe, w.createTimeLt];
    case 'analytics': return [w.analyticsTimeGe, w.analyticsTimeLt];
  }
}

export function readCheckpoint(store: KeyValueStore): Checkpoint {
  const raw = store.get(CHECKPOINT_KEY);
  const empty: Checkpoint = { v: 1, watermark: null, run: null };
  if (raw === null) return empty;
  try {
    const cp = JSON.parse(raw) as Checkpoint;
    if (cp && cp.v === 1 && (cp.watermark === null || Number.isInteger(cp.watermark))) return cp;
  } catch {
    // fall through: an unreadable checkpoint means a fresh backfill (upsert makes it harmless)
  }
  return empty;
}

function saveCheckpoint(store: KeyValueStore, cp: Checkpoint): void {
  const json = JSON.stringify(cp);
  if (json.length > MAX_CHECKPOINT_BYTES) throw new Error(`sync checkpoint is ${json.length} bytes, over ${MAX_CHECKPOINT_BYTES}`);
  store.set(CHECKPOINT_KEY, json);
}

export function progressOf(run: Run): number {
  const n = run.resources.length;
  if (n === 0 || run.resource >= n) return 1;
  const [ge, lt] = resourceWindow(run, run.resources[run.resource]);
  const within = lt > ge ? Math.min(1, Math.max(0, (run.sliceGe - ge) / (lt - ge))) : 0;
  return (run.resource + within) / n;
}

/** Writes pulled records to their data tabs: one upsert (one read, ≤ one write) per non-empty tab. */
export function writePulled(gateway: SheetGateway, data: PulledData): UpsertResult[] {
  const out: UpsertResult[] = [];
  const put = <T>(def: TabDef<T>, records: readonly T[]) => { if (records.length > 0) out.push(upsert(gateway, def, records)); };
  put(ORDERS_TAB, data.orders);
  put(ORDER_LINES_TAB, data.lines);
  put(STATEMENTS_TAB, data.statements);
  put(SETTLEMENTS_TAB, data.transactions);
  put(PAYOUTS_TAB, data.payouts);
  put(RETURNS_TAB, returnsToRows(data.returns));
  put(CANCELLATIONS_TAB, data.cancellations);
  put(CREATOR_ORDERS_TAB, data.creatorOrders);
  put(PRODUCTS_TAB, data.products);
  put(UNSETTLED_TAB, data.unsettled);
  put(SHOP_PERFORMANCE_TAB, data.shopPerformance);
  put(PRODUCT_PERFORMANCE_TAB, data.productPerformance);
  return out;
}

/** Cells the pulled records would take on their tabs (rows × the tabs' base widths). */
export function cellsOf(data: PulledData): number {
  const w = (def: TabDef<unknown>) => def.baseHeaders.length;
  return data.orders.length * w(ORDERS_TAB as TabDef<unknown>) + data.lines.length * w(ORDER_LINES_TAB as TabDef<unknown>)
    + data.statements.length * w(STATEMENTS_TAB as TabDef<unknown>) + data.transactions.length * w(SETTLEMENTS_TAB as TabDef<unknown>)
    + data.payouts.length * w(PAYOUTS_TAB as TabDef<unknown>) + data.returns.length * 2 * w(RETURNS_TAB as TabDef<unknown>)
    + data.cancellations.length * w(CANCELLATIONS_TAB as TabDef<unknown>) + data.creatorOrders.length * w(CREATOR_ORDERS_TAB as TabDef<unknown>)
    + data.products.length * w(PRODUCTS_TAB as TabDef<unknown>) + data.unsettled.length * w(UNSETTLED_TAB as TabDef<unknown>)
    + data.shopPerformance.length * w(SHOP_PERFORMANCE_TAB as TabDef<unknown>) + data.productPerformance.length * w(PRODUCT_PERFORMANCE_TAB as TabDef<unknown>);
}

export function runRefreshChunk(deps: RefreshDeps, options: RefreshOptions = {}): RefreshResult {
  const result: RefreshResult = { done: false, progress: 0, written: 0, calls: 0, units: 0, upserts: [] };
  if (!deps.lock.tryLock(options.lockWaitMs ?? 0)) return { ...result, reason: ANOTHER_REFRESH };
  try {
    return chunk(deps, options, result);
  } finally {
    deps.lock.release();
  }
}

function chunk(deps: RefreshDeps, options: RefreshOptions, result: RefreshResult): RefreshResult {
  const { clock, budget } = deps;
  const pull = deps.pull ?? pullShop;
  const sliceSeconds = Math.max(1, Math.floor(options.sliceSeconds ?? 7 * 86400));
  const cp = readCheckpoint(deps.documentStore);
  let run = cp.run;
  if (!run) {
    const now = Math.floor(clock.now());
    let window: Required<PullWindow>;
    if (cp.watermark === null) {
      const ge = Math.max(0, now - Math.round((options.backfillDays ?? 90) * 86400));
      window = { updateTimeGe: ge, updateTimeLt: now + 1, statementTimeGe: ge, statementTimeLt: now + 1, createTimeGe: ge, createTimeLt: now + 1, analyticsTimeGe: ge, analyticsTimeLt: now + 1 };
    } else {
      window = incrementalWindow(cp.watermark, now, {
        lookBackSeconds: options.lookBackSeconds, statementLookBackSeconds: options.statementLookBackSeconds,
        createLookBackSeconds: options.createLookBackSeconds, analyticsLookBackSeconds: options.analyticsLookBackSeconds,
      });
    }
    const resources = [...(options.resources ?? RESOURCES)];
    const firstRun = cp.watermark === null;
    run = { window, resources, resource: 0, sliceGe: resources.length ? resourceWindow({ window, firstRun }, resources[0])[0] : 0, firstRun };
  }
  // Not saved yet: a kill before the first unit's checkpoint just starts the run again.

  // A chunk that died while writing may have changed rows that now read as unchanged.
  const cur: Run = { ...run, ...(run.writing ? { changed: true } : {}) };
  delete cur.writing;
  let acc = emptyPulledData();
  let longestMs = 0;
  while (cur.resource < cur.resources.length) {
    const startMs = clock.now() * 1000;
    // The chunk's records must still be written before the deadline: writing costs time per cell.
    const writeMs = (budget.writeMsPerCell ?? 0) * cellsOf(acc);
    if (startMs + longestMs + writeMs + budget.safetyMarginMs >= budget.deadlineMs) {
      if (result.units === 0) result.reason = 'no time left in this execution';
      break;
    }
    const resource = cur.resources[cur.resource];
    const [, lt] = resourceWindow(cur, resource);
    const sliceLt = UNSLICED.has(resource) ? lt : Math.min(lt, cur.sliceGe + sliceSeconds);
    if (cur.sliceGe < sliceLt) {
      const slice: PullWindow = {
        updateTimeGe: cur.sliceGe, updateTimeLt: sliceLt, statementTimeGe: cur.sliceGe, statementTimeLt: sliceLt,
        createTimeGe: cur.sliceGe, createTimeLt: sliceLt, analyticsTimeGe: cur.sliceGe, analyticsTimeLt: sliceLt,
      };
      const r = pull(deps.client, slice, { resources: [resource], timeZone: options.timeZone, currency: options.currency, clock });
      result.calls += totalCalls(r.stats);
      acc = mergePulled(acc, r.data).data;
    }
    result.units++;
    if (budget.maxCells !== undefined && cellsOf(acc) >= budget.maxCells) {
      if (sliceLt >= lt) {
        cur.resource++;
        if (cur.resource < cur.resources.length) cur.sliceGe = resourceWindow(cur, cur.resources[cur.resource])[0];
      } else cur.sliceGe = sliceLt;
      break;
    }
    if (sliceLt >= lt) {
      cur.resource++;
      if (cur.resource < cur.resources.length) cur.sliceGe = resourceWindow(cur, cur.resources[cur.resource])[0];
    } else {
      cur.sliceGe = sliceLt;
    }
    longestMs = Math.max(longestMs, clock.now() * 1000 - startMs);
  }

  if (result.units === 0) {
    result.progress = progressOf(run);
    return result;
  }
  // Write first, checkpoint second (see the header: a kill in between only re-upserts the same rows).
  // Before writing, the run (as it was) is marked `writing`, so a kill during the writes still
  // counts the run as changed (the reports must be rebuilt).
  const base = { v: 1 as const, watermark: cp.watermark, completed: cp.completed ?? 0, ...(cp.previousWatermark != null ? { previousWatermark: cp.previousWatermark } : {}) };
  if (cellsOf(acc) > 0 && !cur.changed) saveCheckpoint(deps.documentStore, { ...base, run: { ...run, writing: true } });
  result.upserts = writePulled(deps.gateway, acc);
  for (const u of result.upserts) result.written += u.inserted + u.updated + u.removed;
  if (result.written > 0) cur.changed = true;
  const done = cur.resource >= cur.resources.length;
  const completed = cp.completed ?? 0;
  saveCheckpoint(deps.documentStore, done
    ? { v: 1, watermark: cur.window.updateTimeLt, run: null, completed: completed + 1, lastRunChanged: Boolean(cur.changed) }
    : { v: 1, watermark: cp.watermark, run: cur, completed, ...(cp.previousWatermark != null ? { previousWatermark: cp.previousWatermark } : {}) });
  result.done = done;
  result.progress = done ? 1 : progressOf(cur);
  return result;
}
