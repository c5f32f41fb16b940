/**
 * How far a benchmark's overhead figure can be trusted: a bootstrap interval of the ratio of two
 * medians. The build times of this kind of machine (a small VM on a shared host) scatter by
 * several percent from one build to the next, so the ratio of two medians of ten builds each
 * moves by a few percent between runs of the same builds; the interval says by how much.
 */
import { pick, rng } from './corpus.ts';

/** The median of a list of numbers. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/**
 * The central `level` interval of median(a) / median(b) - 1 over `draws` resamples (each list
 * drawn with replacement from itself, separately); a list with fewer than two values gives the
 * point figure at both ends.
 */
export function medianRatioInterval(a: readonly number[], b: readonly number[], level = 0.9, draws = 4000, seed = 1): [number, number] {
  if (a.length === 0 || b.length === 0) throw new Error('medianRatioInterval: no values');
  const point = median(a) / median(b) - 1;
  if (a.length < 2 || b.length < 2) return [point, point];
  // seeded (mulberry32): the same samples give the same interval
  const random = rng(seed);
  const resample = (xs: readonly number[]) => xs.map(() => pick(random, xs));
  const ratios: number[] = [];
  for (let k = 0; k < draws; k++) ratios.push(median(resample(a)) / median(resample(b)) - 1);
  ratios.sort((x, y) => x - y);
  const at = (q: number) => ratios[Math.min(draws - 1, Math.max(0, Math.floor(q * draws)))]!;
  return [at((1 - level) / 2), at((1 + level) / 2)];
}
