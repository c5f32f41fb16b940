/** The priority of a worker thread that works beside a busy thread (the Astro build). */
import { setPriority } from 'node:os';

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
