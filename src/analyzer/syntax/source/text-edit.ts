/**
 * The one edit that turns a cell's previous text into its new text, in the
 * shape tree-sitter's `Tree.edit` takes: the common prefix and suffix are
 * kept, the middle is replaced. Offsets and columns are UTF-16 code units,
 * as web-tree-sitter counts them for JavaScript strings.
 */
import { Edit, Point } from 'web-tree-sitter';

/** The edit from `before` to `after`, or null when they are equal. */
export function textEdit(before: string, after: string): Edit | null {
  if (before === after) {
    return null;
  }
  const limit = Math.min(before.length, after.length);
  let prefix = 0;
  while (
    prefix < limit &&
    before.charCodeAt(prefix) === after.charCodeAt(prefix)
  ) {
    prefix++;
  }
  let suffix = 0;
  while (
    suffix < limit - prefix &&
    before.charCodeAt(before.length - 1 - suffix) ===
      after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  const oldEnd = before.length - suffix;
  const newEnd = after.length - suffix;
  return new Edit({
    startIndex: prefix,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: pointAt(before, prefix),
    oldEndPosition: pointAt(before, oldEnd),
    newEndPosition: pointAt(after, newEnd)
  });
}

/** Row and column of offset `index` in `text`. */
function pointAt(text: string, index: number): Point {
  let row = 0;
  let lineStart = 0;
  for (
    let i = text.indexOf('\n');
    i !== -1 && i < index;
    i = text.indexOf('\n', i + 1)
  ) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}
