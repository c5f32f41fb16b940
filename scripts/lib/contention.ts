/**
 * How much a busy thread on another core slows this one, on this machine: the work rate of an
 * allocating loop alone, beside a second busy process, and beside one at the lowest priority.
 * On the 2-core VM the bench was written on it was 6–16%, niced or not (the cores share
 * caches and memory bandwidth; a nice value only orders threads that wait for the same core), which
 * is what checking in a worker costs a build that is busy on its own thread meanwhile.
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
  return rounds;
}

async function beside(command: string[], ms: number): Promise<number> {
  const child = spawn(command[0]!, command.slice(1), { stdio: 'ignore' });
  try {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return rate(ms);
  } finally {
    child.kill();
  }
}

/** Slowdowns (0.1 = a tenth) of this thread beside a busy process, and beside a niced one. */
export async function contention(ms = 2000): Promise<{ busy: number; niced: number }> {
  rate(300); // warm up
  const alone = rate(ms);
  const busy = await beside([process.execPath, '-e', LOOP], ms);
  const niced = process.platform === 'linux' ? await beside(['nice', '-n', '19', process.execPath, '-e', LOOP], ms) : busy;
  return { busy: 1 - busy / alone, niced: 1 - niced / alone };
}
