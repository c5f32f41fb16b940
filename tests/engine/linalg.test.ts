/**
 * The spectral norm (src/engine/numeric/linalg.ts): the largest singular value, computed from the
 * smaller of AᵀA and AAᵀ. Known values, and for random matrices of every shape: the same for A and
 * Aᵀ, between the largest column norm and the Frobenius norm, and √(λmax(AᵀA)) either way.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frobenius, mat, mul, spectralNorm, symmetricEigenvalues, transpose, type Mat } from '../../src/engine/numeric/linalg.ts';

const matrix = fc
  .record({ r: fc.integer({ min: 1, max: 5 }), c: fc.integer({ min: 1, max: 5 }) })
  .chain(({ r, c }) => fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: r * c, maxLength: r * c }).map((d) => mat(r, c, d)));

describe('spectral norm', () => {
  it('is the largest singular value, not the Frobenius norm', () => {
    const wide = mat(2, 3, [3, 0, 0, 0, 4, 0]);
    expect(spectralNorm(wide)).toBeCloseTo(4, 12);
    expect(spectralNorm(transpose(wide) as Mat)).toBeCloseTo(4, 12);
    expect(frobenius(wide)).toBeCloseTo(5, 12);
    expect(spectralNorm(mat(1, 3, [1, 2, 2]))).toBeCloseTo(3, 12);
    expect(spectralNorm(-2)).toBe(2);
  });

  it('agrees for A and Aᵀ, with √λmax(AᵀA), and lies between the largest column norm and the Frobenius norm', () => {
    fc.assert(
      fc.property(matrix, (a) => {
        const s = spectralNorm(a);
        const scale = Math.max(frobenius(a), 1e-300);
        expect(Math.abs(s - spectralNorm(transpose(a) as Mat))).toBeLessThanOrEqual(1e-12 * scale);
        const gram = mul(transpose(a), a); // 1×1: a number
        const largest = typeof gram === 'number' ? gram : Math.max(...symmetricEigenvalues(gram as Mat));
        expect(Math.abs(s - Math.sqrt(Math.max(largest, 0)))).toBeLessThanOrEqual(1e-12 * scale);
        let column = 0;
        for (let j = 0; j < a.c; j++) {
          let sum = 0;
          for (let i = 0; i < a.r; i++) sum += a.d[i * a.c + j]! ** 2;
          column = Math.max(column, Math.sqrt(sum));
        }
        expect(s).toBeGreaterThanOrEqual(column - 1e-12 * scale);
        expect(s).toBeLessThanOrEqual(frobenius(a) + 1e-12 * scale);
      }),
      { seed: 20261121, numRuns: 300 },
    );
  });
});
