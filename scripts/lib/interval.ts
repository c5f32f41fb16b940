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
  return bootstrap((random) => median(resample(a, random)) / median(resample(b, random)) - 1, level, draws, seed);
}

/**
 * The mean of a list and the central `level` bootstrap interval of that mean (the list drawn with
 * replacement from itself): for the ratios of alternating on/off pairs, each of which the host's
 * drift moves less than it moves the two modes' medians. One value gives it at both ends.
 */
export function meanInterval(xs: readonly number[], level = 0.9, draws = 4000, seed = 1): { mean: number; interval: [number, number] } {
  if (xs.length === 0) throw new Error('meanInterval: no values');
  const point = mean(xs);
  if (xs.length < 2) return { mean: point, interval: [point, point] };
  return { mean: point, interval: bootstrap((random) => mean(resample(xs, random)), level, draws, seed) };
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function resample(xs: readonly number[], random: () => number): number[] {
  return xs.map(() => pick(random, xs));
}

/** The central `level` interval of a statistic of `draws` resamples, seeded (mulberry32): the same samples give the same interval. */
function bootstrap(statistic: (random: () => number) => number, level: number, draws: number, seed: number): [number, number] {
  const random = rng(seed);
  const values = Array.from({ length: draws }, () => statistic(random)).sort((x, y) => x - y);
  const at = (q: number) => values[Math.min(draws - 1, Math.max(0, Math.floor(q * draws)))]!;
  return [at((1 - level) / 2), at((1 + level) / 2)];
}
