import type { Text } from '@codemirror/state';

/**
 * Offset of a 0-based (line, column) in `doc`, or null when out of range:
 * the one place findings' positions become editor offsets (diagnostics,
 * quick fixes).
 */
export function offsetOf(
  doc: Text,
  line: number,
  column: number
): number | null {
  if (line < 0 || line >= doc.lines) {
    return null;
  }
  const docLine = doc.line(line + 1);
  return Math.min(docLine.from + Math.max(column, 0), docLine.to);
}
