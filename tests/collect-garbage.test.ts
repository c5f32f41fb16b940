import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../src/astro/collect-garbage.ts';

/** An object nothing refers to but a weak reference, made outside the caller's scope. */
function unreachable(): WeakRef<object> {
  return new WeakRef({ payload: new Array(100_000).fill(1) });
}

describe('collectGarbage', () => {
  it.each([{ reduceMemory: false }, { reduceMemory: true }])('collects what is no longer reachable, now (%o)', async (options) => {
    const refs = Array.from({ length: 5 }, unreachable);
    expect(refs.every((ref) => ref.deref() !== undefined)).toBe(true);
    // a weak reference keeps its target alive until the end of the job that made or read it
    await new Promise((resolve) => setTimeout(resolve, 0));
    collectGarbage(options);
    expect(refs.map((ref) => ref.deref())).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('keeps what is reachable, and can run again', () => {
    const kept = { payload: [1, 2, 3] };
    const ref = new WeakRef(kept);
    collectGarbage();
    collectGarbage();
    expect(ref.deref()).toBe(kept);
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined(); // the flag was switched off again
  });
});
