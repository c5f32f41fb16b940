/**
 * How much a busy thread on another core slows this one, on this machine: the work rate of an
 * allocating loop while a second busy process runs, against while it is stopped (SIGSTOP), in
 * alternating slices so that the machine's drift falls on both; and the same with the second
 * process at the lowest priority. On the 2-core VM the bench was written on: 15–23% beside a
 * busy process, 2–17% beside one at nice 19 (the cores share caches and memory bandwidth, and
 * a nice value only orders threads that wait for the same core). That is what checking in a
 * worker costs a build that is busy on its own thread meanwhile.
 */
import { spawn } from 'node:child_process';

const LOOP = 'const a = []; for (;;) { for (let i = 0; i < 1000; i++) a.push({ x: i, y: [i] }); if (a.length > 100000) a.length = 0; }';

function rate(ms: number): number {
  const end = performance.now() + ms;
  const a: unknown[] = [];
  let rounds = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 1000; i++) a.push({ x: i, y: [i] });
    if (a.length > 100000) a.length = 0;
    rounds++;
  }
  return rounds / ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The slowdown (0.1 = a tenth) of this thread while `command` runs, from `slices` pairs of slices. */
async function slowdown(command: string[], slices: number, ms: number): Promise<number> {
  const child = spawn(command[0]!, command.slice(1), { stdio: 'ignore' });
  try {
    await pause(200);
    const running: number[] = [];
    const stopped: number[] = [];
    for (let k = 0; k < slices; k++) {
      child.kill('SIGCONT');
      await pause(20);
      running.push(rate(ms));
      child.kill('SIGSTOP');
      await pause(20);
      stopped.push(rate(ms));
    }
    return 1 - median(running) / median(stopped);
  } finally {
    child.kill('SIGKILL');
  }
}

/** Slowdowns of this thread beside a busy process, and beside one at nice 19 (Linux; elsewhere the same). */
export async function contention(slices = 8, ms = 300): Promise<{ busy: number; niced: number }> {
  rate(300); // warm up
  const busy = await slowdown([process.execPath, '-e', LOOP], slices, ms);
  const niced = process.platform === 'linux' ? await slowdown(['nice', '-n', '19', process.execPath, '-e', LOOP], slices, ms) : busy;
  return { busy, niced };
}
