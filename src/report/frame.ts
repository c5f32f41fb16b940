/** A code frame: a few numbered lines of source with a caret under one column. */
export interface FramePoint {
  line: number;
  column: number;
  /** How many characters to underline (default 1). */
  length?: number;
}

export function codeFrame(source: string, point: FramePoint, context = 2): string {
  const lines = source.split(/\r?\n/);
  const line = Math.min(Math.max(point.line, 1), lines.length);
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = lines[n - 1]!;
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${text}`.trimEnd());
    if (n === line) {
      const column = Math.max(point.column, 1);
      const room = Math.max(text.length - column + 1, 1);
      const carets = '^'.repeat(Math.min(Math.max(point.length ?? 1, 1), room));
      // Keep tabs so the caret lines up under tab-indented text.
      const pad = text.slice(0, column - 1).replace(/[^\t]/g, ' ');
      out.push(`  ${' '.repeat(width)} | ${pad}${carets}`);
    }
  }
  return out.join('\n');
}
