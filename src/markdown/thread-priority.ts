/** The priority of a worker thread that works beside a busy thread (the Astro build). */
import { setPriority } from 'node:os';
import { setFlagsFromString } from 'node:v8';

/**
 * On Linux a nice value belongs to a thread, and `setPriority(19)` (pid 0) sets this one's: the
 * build's threads then get a core whenever they want it, and this one takes what they leave.
 * Elsewhere it would lower the whole process, the build with it, so nothing changes there.
 */
export function lowerPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(19);
  } catch {
    // not permitted here: run at the usual priority
  }
}

/** A worker thread as `startOnOwnCompiler` watches it start (a `Worker`, or one of tinypool's). */
export interface Starting {
  once(event: 'online' | 'error' | 'exit', listener: () => void): unknown;
}

/**
 * Create worker threads that optimize their own hot code on their own thread. V8 otherwise hands
 * hot functions to its compiler threads, which all threads of the process share and which run at
 * the usual priority: a low-priority worker's optimizing compiles then compete with the build at
 * full priority (about 2 s of CPU for the checker in a cold build of the bench's site, measured
 * per thread from /proc). V8 decides this for each thread once, when the thread's isolate is
 * created, from its `--concurrent-recompilation` flag; the flag is off while `create` starts the
 * workers and on again as soon as each has started (or failed to), so this thread and any
 * created later keep V8's default. `started` names the workers `create` started.
 */
export function startOnOwnCompiler<T>(create: () => T, started: (created: T) => readonly Starting[]): T {
  setFlagsFromString('--no-concurrent-recompilation');
  let created: T;
  try {
    created = create();
  } catch (error) {
    setFlagsFromString('--concurrent-recompilation');
    throw error;
  }
  const starts = started(created).map(
    (worker) =>
      new Promise<void>((resolve) => {
        for (const event of ['online', 'error', 'exit'] as const) worker.once(event, resolve);
      }),
  );
  void Promise.all(starts).then(() => setFlagsFromString('--concurrent-recompilation'));
  return created;
}
