import type { Action, Diagnostic } from '@codemirror/lint';
import type { Text } from '@codemirror/state';
import type { IFinding } from '../../analyzer/types';
import { trans } from '../../common/i18n';
import { offsetOf } from '../editor/text';

export { offsetOf };

/** What a diagnostic's quick-fix buttons do. */
export interface IFindingActions {
  /** Apply the finding's text fix; `view`-local edits must stay undoable. */
  applyFix(finding: IFinding): void;
  /** Run the finding's kernel action (e.g. `del name`). */
  runKernelAction(finding: IFinding): void;
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
