/**
 * One full garbage collection between Astro's content sync and Vite's bundling.
 *
 * V8 lets the heap grow to a multiple of what was live at its last full collection. In a large
 * build that collection tends to fall inside the content sync, while the data store is being
 * serialized and is live several times over (on the bench's site: 300 MB live, against about
 * 110 MB once the sync is done), so Vite's bundling of that store then ran up to about three
 * times as much before V8 collected again: the build's peak memory. Collected once when the
 * sync is done (50–70 ms), the bundling starts from what is really live.
 *
 * A sync that rendered the pages (a cold build) also leaves V8 holding 300 MB of freed pages
 * for reuse, which still count in the process's memory: `reduceMemory` collects as V8 does
 * when memory runs short, returning them (about 200 ms; on the bench's site the cold peak fell
 * from 1.45–1.58 GB to 1.2 GB). A warm build, whose sync rendered nothing, holds about 100 MB of
 * them, not worth the time.
 *
 * Node exposes `gc` only with `--expose-gc`; the flag is switched on for the one new context
 * that fetches the function, and off again. Where that is not possible, nothing happens.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = (options?: { type: 'major'; execution: 'sync'; flavor: 'regular' | 'last-resort' }) => void;

let gc: Gc | null | undefined;

/** Collect the garbage of the whole heap now (a full, blocking collection). */
export function collectGarbage({ reduceMemory = false } = {}): void {
  gc ??= exposedGc();
  gc?.({ type: 'major', execution: 'sync', flavor: reduceMemory ? 'last-resort' : 'regular' });
}

function exposedGc(): Gc | null {
  const global = (globalThis as { gc?: Gc }).gc;
  if (typeof global === 'function') return global; // node --expose-gc
  try {
    setFlagsFromString('--expose-gc');
    const fn: unknown = runInNewContext('gc');
    return typeof fn === 'function' ? (fn as Gc) : null;
  } catch {
    return null;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
