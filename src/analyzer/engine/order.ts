/**
 * The order findings are listed in, everywhere (the engine, and the
 * notebook model when it re-maps findings to moved cells). A module of its
 * own so that the main thread can import it without the engine.
 */
import type { IFinding } from '../types';

/** The order of findings: by cell, line, column, then rule id. */
export function compareFindings(a: IFinding, b: IFinding): number {
  return (
    a.cell - b.cell ||
    a.line - b.line ||
    a.column - b.column ||
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)
  );
}
