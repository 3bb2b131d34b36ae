/**
 * The bridge between the host (Node, where the fake services live) and the script's realm (a bare
 * `vm` context, where dist/Code.js runs).
 *
 * - Every service object handed to the script is a Proxy over a host model object (a HostObject).
 *   Calling any of its public methods is one "service call": it first asks the execution whether
 *   it may go on (deadline, call budget), then runs the method, then converts the result into the
 *   script's realm (arrays, plain objects and Dates are copied so `instanceof Array` holds there;
 *   host objects are wrapped again). Fields and `_`-prefixed members are invisible to the script.
 * - Errors raised by the services (GasError) reach the script as that realm's Error, named
 *   "Exception" like Apps Script's.
 */
import vm from 'node:vm';

/** Base class of everything the script receives as a service object. */
export abstract class HostObject {
  /** Enum-like constant fields the script may read (e.g. ScriptApp.AuthMode). */
  _constants(): Record<string, unknown> {
    return {};
  }
}

/** A service error with Apps Script's message; the script sees it as an Error named Exception. */
export class GasError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Exception';
  }
}

/** The host-side error `run` throws when the execution was killed for time or by call count. */
export class ExecutionKilledError extends Error {
  constructor(
    message: string,
    readonly serviceCalls: number,
  ) {
    super(message);
    this.name = 'ExecutionKilledError';
  }
}

export const EXCEEDED_MESSAGE = 'Exceeded maximum execution time';

/** What the bridge needs from an execution. */
export interface CallGate {
  /** Called before every service call; throws (a realm error) when the execution must die. */
  beforeCall(name: string): void;
}

const proxyTargets = new WeakMap<object, HostObject>();

/** The host object behind a value the script passed back to us (a wrapped service object), or the value itself. */
export function unwrap<T = unknown>(value: T): T {
  if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
    const target = proxyTargets.get(value as object);
    if (target) return target as unknown as T;
  }
  return value;
}

/** Deeply unwraps arguments (arrays of ranges, option objects holding wrapped objects). */
export function unwrapDeep(value: unknown): unknown {
  const direct = unwrap(value);
  if (direct !== value) return direct;
  if (Array.isArray(value)) return value.map(unwrapDeep);
  return value;
}

export class Realm {
  readonly context: vm.Context;
  private readonly newArray: () => unknown[];
  private readonly newObject: () => Record<string, unknown>;
  private readonly newDate: (ms: number) => Date;
  private readonly newError: (message: string) => Error;
  private readonly wrapped = new WeakMap<HostObject, object>();

  constructor(
    context: vm.Context,
    private readonly gate: CallGate,
  ) {
    this.context = context;
    const helpers = vm.runInContext(
      `(function () {
        var RealDate = Date;
        return {
          newArray: function () { return []; },
          newObject: function () { return {}; },
          newDate: function (ms) { return new RealDate(ms); },
          newError: function (m) { var e = new Error(m); e.name = 'Exception'; return e; }
        };
      })()`,
      context,
    );
    this.newArray = helpers.newArray;
    this.newObject = helpers.newObject;
    this.newDate = helpers.newDate;
    this.newError = helpers.newError;
  }

  /** An Error of the script's realm. */
  error(message: string): Error {
    return this.newError(message);
  }

  /** Converts a host value into the script's realm. */
  toRealm(value: unknown): unknown {
    if (value === null || value === undefined) return value;
    if (value instanceof HostObject) return this.wrap(value);
    if (typeof value !== 'object') return value;
    if (value instanceof Date) return this.newDate(value.getTime());
    if (Array.isArray(value)) {
      const out = this.newArray();
      for (const item of value) out.push(this.toRealm(item));
      return out;
    }
    const out = this.newObject();
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = this.toRealm(v);
    return out;
  }

  /** The script-facing Proxy of a host object (one per object per realm, so identity holds). */
  wrap(target: HostObject): object {
    const existing = this.wrapped.get(target);
    if (existing) return existing;
    const realm = this;
    const methodCache = new Map<string, unknown>();
    const proxy = new Proxy(target, {
      get(t, prop) {
        if (typeof prop !== 'string' || prop.startsWith('_') || prop === 'constructor') return undefined;
        const member = (t as unknown as Record<string, unknown>)[prop];
        if (typeof member === 'function') {
          let fn = methodCache.get(prop);
          if (!fn) {
            const label = `${t.constructor.name}.${prop}`;
            fn = function (...args: unknown[]) {
              realm.gate.beforeCall(label);
              let result: unknown;
              try {
                result = (member as (...a: unknown[]) => unknown).apply(t, args.map(unwrapDeep));
              } catch (err) {
                throw realm.translate(err);
              }
              return realm.toRealm(result);
            };
            methodCache.set(prop, fn);
          }
          return fn;
        }
        const constants = t._constants();
        if (Object.prototype.hasOwnProperty.call(constants, prop)) return realm.toRealm(constants[prop]);
        return undefined;
      },
      set() {
        return false;
      },
      has(t, prop) {
        return typeof prop === 'string' && !prop.startsWith('_') && (typeof (t as unknown as Record<string, unknown>)[prop] === 'function' || prop in t._constants());
      },
    });
    proxyTargets.set(proxy, target);
    this.wrapped.set(target, proxy);
    return proxy;
  }

  /** Host errors become realm errors; realm errors (the kill) pass through. */
  translate(err: unknown): unknown {
    if (err instanceof GasError) return this.newError(err.message);
    // Host errors (bugs, Node errors) keep their message; errors of the realm (the kill) pass through.
    if (err instanceof Error && !(err instanceof ExecutionKilledError)) return this.newError(err.message);
    return err;
  }
}
