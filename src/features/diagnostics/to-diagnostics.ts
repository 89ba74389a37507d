import type { Action, Diagnostic } from '@codemirror/lint';
import type { Text } from '@codemirror/state';
import type { IFinding } from '../../analyzer/types';
import { trans } from '../../common/i18n';

/** What a diagnostic's quick-fix buttons do. */
export interface IFindingActions {
  /** Apply the finding's text fix; `view`-local edits must stay undoable. */
  applyFix(finding: IFinding): void;
  /** Run the finding's kernel action (e.g. `del name`). */
  runKernelAction(finding: IFinding): void;
}

/** Offset of a 0-based (line, column) in `doc`, or null when out of range. */
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

/**
 * Turn the analyzer's findings for one cell into CodeMirror diagnostics.
 * The message starts with the rule id (a stable hook for users and tests).
 */
export function toDiagnostics(
  doc: Text,
  findings: readonly IFinding[],
  actions: IFindingActions
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const finding of findings) {
    const from = offsetOf(doc, finding.line, finding.column);
    const to = offsetOf(doc, finding.endLine, finding.endColumn);
    if (from === null) {
      continue;
    }
    const buttons: Action[] = [];
    if (finding.fix) {
      buttons.push({
        name: finding.fix.description,
        apply: () => actions.applyFix(finding)
      });
    }
    if (finding.action?.kind === 'delete') {
      buttons.push({
        name: trans().__('del %1 in the kernel', finding.action.name),
        apply: () => actions.runKernelAction(finding)
      });
    }
    diagnostics.push({
      from,
      to: Math.max(from, to ?? from),
      severity: finding.severity,
      source: 'memlens',
      message: `${finding.rule} ${finding.message}`,
      actions: buttons
    });
  }
  return diagnostics;
}
