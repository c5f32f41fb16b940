import { describe, expect, it } from 'vitest';
import { meanInterval, median, medianRatioInterval } from '../scripts/lib/interval.ts';

// build times in seconds, scattered like the bench's warm builds on this machine
const OFF = [11.4, 12.3, 10.8, 11.1, 11.7, 11.2, 12.0, 10.6, 11.9, 11.3];

describe('medianRatioInterval (the bench overhead interval)', () => {
  it('takes the median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('holds 0 for two samples of the same builds, with the scatter as its width', () => {
    const [lo, hi] = medianRatioInterval(OFF, [...OFF].reverse());
    expect(lo).toBeLessThanOrEqual(0);
    expect(hi).toBeGreaterThanOrEqual(0);
    expect(hi - lo).toBeGreaterThan(0.01); // the scatter shows
  });

  it('leaves 0 out when every build is a tenth slower', () => {
    const slower = OFF.map((s) => s * 1.1);
    const [lo, hi] = medianRatioInterval(slower, OFF);
    expect(lo).toBeGreaterThan(0);
    expect(lo).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(hi).toBeGreaterThanOrEqual(0.1 - 1e-9);
  });

  it('is the same for the same samples and seed', () => {
    const on = OFF.map((s, k) => s * (1 + (k % 3) / 50));
    expect(medianRatioInterval(on, OFF)).toEqual(medianRatioInterval(on, OFF));
  });

  it('gives the point figure for a single run, and refuses no runs', () => {
    const [lo, hi] = medianRatioInterval([12], [10]);
    expect(lo).toBeCloseTo(0.2, 12);
    expect(hi).toBe(lo);
    expect(() => medianRatioInterval([], [10])).toThrow(/no values/);
  });
});

describe('meanInterval (the mean of the bench\'s on/off pairs)', () => {
  // ratios of on/off pairs, scattered by a few percent around +1%
  const PAIRS = [0.04, -0.02, 0.01, 0.03, -0.01, 0.0, 0.02, 0.05, -0.03, 0.01];

  it('gives the mean, inside an interval as wide as the scatter allows', () => {
    const { mean, interval } = meanInterval(PAIRS);
    expect(mean).toBeCloseTo(0.01, 12);
    expect(interval[0]).toBeLessThan(mean);
    expect(interval[1]).toBeGreaterThan(mean);
    // about 1.645 standard errors either side (sd 0.025, ten pairs: about ±0.013)
    expect(interval[1] - interval[0]).toBeGreaterThan(0.015);
    expect(interval[1] - interval[0]).toBeLessThan(0.04);
  });

  it('narrows with more pairs of the same scatter, and leaves 0 out once they are enough', () => {
    const many = Array.from({ length: 20 }, () => PAIRS).flat();
    const { interval } = meanInterval(many);
    expect(interval[1] - interval[0]).toBeLessThan(meanInterval(PAIRS).interval[1] - meanInterval(PAIRS).interval[0]);
    expect(interval[0]).toBeGreaterThan(0);
  });

  it('is the same for the same values and seed; one value gives it at both ends; no values are refused', () => {
    expect(meanInterval(PAIRS)).toEqual(meanInterval(PAIRS));
    expect(meanInterval([0.02])).toEqual({ mean: 0.02, interval: [0.02, 0.02] });
    expect(() => meanInterval([])).toThrow(/no values/);
  });
});
