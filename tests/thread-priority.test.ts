import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// the V8 flags this process is given, in order (the real call would change this test's process)
const flags: string[] = [];
vi.mock('node:v8', async (original) => ({
  ...(await original<typeof import('node:v8')>()),
  setFlagsFromString: (flag: string) => flags.push(flag),
}));
const { startOnOwnCompiler } = await import('../src/markdown/thread-priority.ts');

const OFF = '--no-concurrent-recompilation';
const ON = '--concurrent-recompilation';
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('startOnOwnCompiler', () => {
  beforeEach(() => {
    flags.length = 0;
  });

  it('turns concurrent recompilation off while the workers start, and on once every one of them has', async () => {
    const workers = [new EventEmitter(), new EventEmitter()];
    const created = startOnOwnCompiler(
      () => {
        expect(flags).toEqual([OFF]); // off before any worker's isolate exists
        return { workers };
      },
      (made) => made.workers,
    );
    expect(created.workers).toBe(workers);
    await settle();
    expect(flags).toEqual([OFF]);
    workers[0]!.emit('online');
    await settle();
    expect(flags).toEqual([OFF]); // the second one is still starting
    workers[1]!.emit('error', new Error('no threads here'));
    await settle();
    expect(flags).toEqual([OFF, ON]);
    workers[0]!.emit('exit');
    await settle();
    expect(flags).toEqual([OFF, ON]); // once
  });

  it('turns it on again when the workers cannot be created', () => {
    expect(() =>
      startOnOwnCompiler(
        () => {
          throw new Error('no workers in this runtime');
        },
        () => [],
      ),
    ).toThrow('no workers in this runtime');
    expect(flags).toEqual([OFF, ON]);
  });

  it('starts a real worker thread that runs and ends', async () => {
    const worker = startOnOwnCompiler(
      () => new Worker('require("node:worker_threads").parentPort.postMessage(6 * 7)', { eval: true }),
      (started) => [started],
    );
    const answer = await new Promise((resolve) => worker.once('message', resolve));
    await new Promise((resolve) => worker.once('exit', resolve));
    expect(answer).toBe(42);
    expect(flags).toEqual([OFF, ON]);
  });
});
