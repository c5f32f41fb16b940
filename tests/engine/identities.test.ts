/**
 * Published identities: every true identity must hold; every wrong variant must be `failed`.
 * The table is in identity-table.ts.
 */
import { describe, expect, it } from 'vitest';
import { runRows } from './helpers.ts';
import { IDENTITY_TABLE } from './identity-table.ts';

for (const [group, rows] of Object.entries(IDENTITY_TABLE)) {
  describe(group, () => runRows(rows));
}

describe('the table', () => {
  it('has at least 80 true identities and 80 wrong variants, and a wrong variant for every row', () => {
    const rows = Object.values(IDENTITY_TABLE).flat();
    const ok = rows.reduce((s, x) => s + x.ok.length, 0);
    const bad = rows.reduce((s, x) => s + x.bad.length, 0);
    expect(ok).toBeGreaterThanOrEqual(80);
    expect(bad).toBeGreaterThanOrEqual(80);
    for (const row of rows) expect(row.bad.length, row.name).toBeGreaterThan(0);
  });
});
