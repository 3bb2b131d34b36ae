/**
 * Node implementations of the client's other ports (src/tiktok/ports.ts), for the off-Google
 * runtime, the integration tests and the benchmarks. All synchronous, as Apps Script is.
 *
 * - Clock: real time, optionally shifted or pinned (a test follows the sandbox's frozen clock
 *   with `setNow`); sleep blocks the thread with Atomics.wait (Utilities.sleep).
 * - RandomSource: crypto-strong uniform [0, 1) (Math.random in Apps Script is not, but the
 *   client only uses it for jitter and the OAuth state, where strong is better).
 * - Lock: in-memory, one holder per process; tryLock waits up to its timeout. Only one thread
 *   uses it, so "held by someone else" can only mean a re-entrant tryLock, which fails after
 *   waiting like a held LockService lock would.
 * - KeyValueStore: a Map, with the 9 KB per value limit of PropertiesService enforced.
 * - Hmac: node:crypto HMAC-SHA256 returned as SIGNED bytes (-128..127), as
 *   Utilities.computeHmacSha256Signature does.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Clock, Hmac, KeyValueStore, Lock, RandomSource } from '../../src/tiktok/ports';

/** Blocks the calling thread for `ms` milliseconds. */
export function sleepSync(ms: number): void {
  if (!(ms > 0)) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export class NodeClock implements Clock {
  private pinned: number | null = null;
  private offset = 0;
  /** Sleeps taken, ms (what retries waited). */
  slept = 0;

  now(): number {
    return this.pinned ?? Date.now() / 1000 + this.offset;
  }

  sleep(ms: number): void {
    this.slept += Math.max(0, ms);
    sleepSync(ms);
  }

  /** Pins now() to `t` (Unix seconds) until the next setNow / unpin. */
  setNow(t: number): void {
    this.pinned = t;
  }

  /** Real time again, shifted by `offsetSeconds`. */
  unpin(offsetSeconds = 0): void {
    this.pinned = null;
    this.offset = offsetSeconds;
  }
}

export const cryptoRandom: RandomSource = {
  next: () => randomBytes(6).readUIntBE(0, 6) / 2 ** 48,
};

export class MemoryLock implements Lock {
  private held = false;

  tryLock(timeoutMs: number): boolean {
    if (!this.held) {
      this.held = true;
      return true;
    }
    // Nobody else on this thread can release it while we block: wait like LockService, then fail.
    sleepSync(Math.min(Math.max(0, timeoutMs), 30_000));
    return false;
  }

  release(): void {
    this.held = false;
  }
}

const PROPERTY_VALUE_LIMIT = 9 * 1024;

export class MemoryStore implements KeyValueStore {
  readonly map = new Map<string, string>();

  get(key: string): string | null {
    return this.map.has(key) ? this.map.get(key)! : null;
  }

  set(key: string, value: string): void {
    const size = Buffer.byteLength(key, 'utf8') + Buffer.byteLength(value, 'utf8');
    if (size > PROPERTY_VALUE_LIMIT) throw new Error(`MemoryStore: ${key} is ${size} bytes; a property holds at most ${PROPERTY_VALUE_LIMIT}`);
    this.map.set(key, value);
  }

  delete(key: string): void {
    this.map.delete(key);
  }
}

export const nodeHmac: Hmac = {
  hmacSha256(value: string, key: string): number[] {
    const digest = createHmac('sha256', Buffer.from(key, 'utf8')).update(Buffer.from(value, 'utf8')).digest();
    return Array.from(digest, (b) => (b > 127 ? b - 256 : b));
  },
};
