/** The plain form of a formula that the site's search indexes (src/markdown/search-text.ts). */
import { describe, expect, it } from 'vitest';
import { searchText, searchTitle } from '../src/markdown/search-text.ts';

const words = (latex: string): string[] => searchText(latex).split(' ');

describe('searchText', () => {
  it('spells a function applied to its argument as one word, whatever the LaTeX spelling', () => {
    expect(words('\\operatorname{tr}(AB) = \\operatorname{tr}(BA)')).toEqual(['tr(AB)', 'tr(BA)']);
    expect(words('\\text{Tr}(\\mathbf{A}\\mathbf{B}) = B_{ji}')).toEqual(['Tr(AB)', 'B_{ji}']);
    expect(words('\\operatorname{tr}\\left(A B\\right)')).toEqual(['tr(AB)']);
    expect(words('\\mathrm{Tr}\\left[X^{-1}dX\\right]')).toEqual(['Tr[X^{-1}dX]']);
  });

  it('keeps postfix operators on their factor and writes every transpose as ^T', () => {
    expect(words('\\frac{\\partial}{\\partial X}\\ln|X| = X^{-1}')).toEqual(['partial', 'partial', 'X', 'ln|X|', 'X^{-1}']);
    expect(words('\\ln \\left|\\mathbf{A}\\right|')).toEqual(['ln|A|']);
    expect(words('X^\\top + X^{\\top} + X^{\\intercal} + X^T + X^{-\\top}')).toEqual(['X^T', 'X^T', 'X^T', 'X^T', 'X^{-T}']);
    expect(words('\\left(\\mathbf{A}^{-1}\\right)^T \\tag{13}')).toEqual(['(A^{-1})^T']);
  });

  it('separates factors, relations and sums, but not a group under ^ or _', () => {
    expect(words('d\\left(X^{-1}\\right) = -X^{-1}\\,dX\\,X^{-1}')).toEqual(['d(X^{-1})', 'X^{-1}', 'dX', 'X^{-1}']);
    expect(words('(A + B)^{-1} \\neq A^{-1} + B^{-1}')).toEqual(['(A', 'B)^{-1}', 'A^{-1}', 'B^{-1}']);
    expect(words('\\begin{aligned} dy &= d\\ln|X| \\\\ &= \\operatorname{tr}\\left(X^{-1}\\,dX\\right) \\end{aligned}')).toEqual([
      'dy',
      'd',
      'ln|X|',
      'tr(X^{-1}dX)',
    ]);
  });
});

describe('searchTitle', () => {
  it('reads like the formula: fractions inline, relations kept, long formulas cut', () => {
    expect(searchTitle('\\frac{\\partial}{\\partial X}\\ln|X| = X^{-1}')).toBe('∂/∂X ln|X| = X^{-1}');
    expect(searchTitle('\\operatorname{tr}(AB) \\neq \\operatorname{tr}(A)\\operatorname{tr}(B)')).toBe('tr(AB) ≠ tr(A) tr(B)');
    expect(searchTitle('\\frac{\\partial \\mathbf{A}}{\\partial x} + \\|x\\|_2', 12)).toBe('∂A/∂x + ‖x‖…');
  });
});
