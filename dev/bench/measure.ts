/** Measuring and printing helpers shared by the benchmarks (dev/bench/*.ts). */
import { Worker } from 'node:worker_threads';

/**
 * Samples process RSS from another thread while the main thread is busy (the measured code is
 * one synchronous call, so it cannot sample itself). `stop()` returns the peak in MB.
 */
export function startRssSampler(): { stop(): number } {
  const shared = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const a = workerData;
     while (Atomics.load(a, 0) === 0) {
       const kb = Math.round(process.memoryUsage.rss() / 1024);
       if (kb > Atomics.load(a, 1)) Atomics.store(a, 1, kb);
       Atomics.wait(a, 0, 0, 2);
     }`,
    { eval: true, workerData: shared },
  );
  Atomics.store(shared, 1, Math.round(process.memoryUsage.rss() / 1024));
  return {
    stop() {
      Atomics.store(shared, 0, 1);
      Atomics.notify(shared, 0);
      void worker.terminate();
      return Atomics.load(shared, 1) / 1024;
    },
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Blocks the thread (lets the RSS sampler and the GC catch up between runs). */
export function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Rows as a markdown table (for docs/benchmarks.md): the first row is the header, figures right-aligned. */
export function markdown(rows: string[][]): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  return [
    `| ${rows[0].map(esc).join(' | ')} |`,
    `|${rows[0].map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...rows.slice(1).map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}
