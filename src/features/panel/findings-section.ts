import { findRuleInfo } from '../../analyzer/rules/live-rules';
import type { ICellFinding, IRuleInfo } from '../../analyzer/types';
import { cellIndexOf } from '../../model/notebook/cells';
import type { Action, LiveFinding } from '../../kernel/protocol';
import { insertCellBelow, jumpToCell } from '../actions/cells';
import {
  freeVariable,
  kernelActionLabel,
  runKernelAction
} from '../actions/kernel';
import type { INotebookMemlens } from '../../tokens';
import { button, h, patchChildren, replaceChildren } from '../dom';
import { Section } from './section';
import { trans } from '../../common/i18n';

/** A finding of either kind, as the section lists it. */
type AnyFinding =
  | { kind: 'static'; finding: ICellFinding }
  | { kind: 'live'; finding: LiveFinding };

/**
 * All findings of the notebook grouped by rule: static ones jump to their
 * cell and line; each group shows the rule's documentation on demand.
 */
export class FindingsSection extends Section {
  /**
   * @param _rules - the static rules the analyzer runs (their docs); live
   *   rules' docs come from `findRuleInfo`.
   */
  constructor(private readonly _rules: readonly IRuleInfo[]) {
    super(trans().__('Findings'), 'findings');
    this.body.append(this._list);
  }

  set model(model: INotebookMemlens | null) {
    this._model = model;
    this._shown = [];
    this._groups.clear();
    this.render();
  }

  render(): void {
    const model = this._model;
    if (!model) {
      this._shown = [];
      replaceChildren(this._list, []);
      return;
    }
    // Redrawing hundreds of findings costs the page a style and layout
    // pass: only when they changed (the model keeps unchanged arrays).
    const shown = [
      model.analysis.findings,
      model.live.snapshot,
      model.analysis.error
    ];
    if (shown.every((input, i) => input === this._shown[i])) {
      return;
    }
    this._shown = shown;
    const { static: statics, live } = model.findings;
    const all: AnyFinding[] = [
      ...statics.map(finding => ({ kind: 'static' as const, finding })),
      ...live.map(finding => ({ kind: 'live' as const, finding }))
    ];
    const groups = new Map<string, AnyFinding[]>();
    for (const item of all) {
      const list = groups.get(item.finding.rule) ?? [];
      list.push(item);
      groups.set(item.finding.rule, list);
    }
    if (groups.size === 0) {
      this._groups.clear();
      replaceChildren(this._list, [
        h('div', {
          className: 'jp-memlens-muted',
          text: model.analysis.error
            ? trans().__('Analysis failed: %1', model.analysis.error)
            : trans().__('No memory issues found.')
        })
      ]);
      return;
    }
    // A group whose findings did not change keeps its elements (and the
    // open state of its documentation).
    const next = new Map<string, { key: string; node: HTMLElement }>();
    const nodes = [...groups.keys()].sort().map(id => {
      const items = groups.get(id)!;
      const key = JSON.stringify(items);
      const old = this._groups.get(id);
      const node = old?.key === key ? old.node : this._group(id, items);
      next.set(id, { key, node });
      return node;
    });
    this._groups = next;
    patchChildren(this._list, nodes);
  }

  private _group(id: string, items: AnyFinding[]): HTMLElement {
    const rule = this._rules.find(r => r.id === id) ?? findRuleInfo(id);
    const docs = rule
      ? h('details', { className: 'jp-memlens-docs' }, [
          h('summary', { text: trans().__('Why and how to fix') }),
          h('p', { text: rule.docs.why }),
          h('p', { text: rule.docs.whatToDo }),
          h('div', { className: 'jp-memlens-docs-label', text: 'Instead of' }),
          h('pre', { className: 'jp-memlens-code', text: rule.docs.bad }),
          h('div', { className: 'jp-memlens-docs-label', text: 'write' }),
          h('pre', { className: 'jp-memlens-code', text: rule.docs.good })
        ])
      : null;
    if (docs) {
      // Panels re-render on every refresh: keep what the user opened open.
      docs.open = this._openDocs.has(id);
      docs.addEventListener('toggle', () => {
        if (docs.open) {
          this._openDocs.add(id);
        } else {
          this._openDocs.delete(id);
        }
      });
    }
    return h(
      'div',
      {
        className: 'jp-memlens-finding-group',
        attrs: { 'data-memlens-rule': id }
      },
      [
        h('div', { className: 'jp-memlens-finding-rule' }, [
          h('span', { className: 'jp-memlens-rule-id', text: id }),
          h('span', { text: ` ${rule?.title ?? ''} (${items.length})` })
        ]),
        docs,
        h(
          'ul',
          { className: 'jp-memlens-findings' },
          items.map(item => this._item(item))
        )
      ]
    );
  }

  private _item(item: AnyFinding): HTMLElement {
    if (item.kind === 'live') {
      return this._liveItem(item.finding);
    }
    const finding = item.finding;
    return h(
      'li',
      { className: `jp-memlens-finding jp-memlens-${finding.severity}` },
      [
        h('button', {
          className: 'jp-memlens-jump',
          text: trans().__(
            'cell %1, line %2',
            finding.cell + 1,
            finding.line + 1
          ),
          attrs: { type: 'button' },
          onClick: () => this._jump(finding)
        }),
        h('span', { text: ` ${finding.message}` })
      ]
    );
  }

  private _liveItem(finding: LiveFinding): HTMLElement {
    const result = h('span', {
      className: 'jp-memlens-action-result',
      attrs: { 'aria-live': 'polite' }
    });
    const action = finding.action;
    const label = action ? actionLabel(action) : null;
    return h(
      'li',
      { className: `jp-memlens-finding jp-memlens-${finding.severity}` },
      [
        h('span', { text: finding.message }),
        action && label
          ? button(
              label,
              'jp-memlens-live-action',
              () => void this._run(action, result),
              label
            )
          : null,
        result
      ]
    );
  }

  private async _run(action: Action, result: HTMLElement): Promise<void> {
    const model = this._model;
    if (!model) {
      return;
    }
    switch (action.type) {
      case 'insert_cell':
        insertCellBelow(model.panel, action.code);
        result.textContent = trans().__(
          ' Cell inserted below the active cell.'
        );
        return;
      case 'delete': {
        const outcome = await freeVariable(model, action.name);
        result.textContent = outcome ? ` ${outcome.text}` : '';
        return;
      }
      default:
        result.textContent = ` ${(await runKernelAction(model, action.type)).text}`;
    }
  }

  private _jump(finding: ICellFinding): void {
    if (this._model) {
      // by id: the cell may have moved since the findings were drawn
      const panel = this._model.panel;
      jumpToCell(panel, cellIndexOf(panel, finding.cellId), {
        line: finding.line,
        column: finding.column
      });
    }
  }

  private _model: INotebookMemlens | null = null;
  /** The element of each rule's group, with the findings it shows. */
  private _groups = new Map<string, { key: string; node: HTMLElement }>();
  /** What the list shows: static findings, snapshot, analysis error. */
  private _shown: unknown[] = [];
  private _openDocs = new Set<string>();
  private _list = h('div', { className: 'jp-memlens-findings-list' });
}

/** The button text of a live finding's action. */
function actionLabel(action: Action): string {
  switch (action.type) {
    case 'delete':
      return trans().__('del %1', action.name);
    case 'insert_cell':
      return trans().__('Insert fix cell');
    default:
      return kernelActionLabel(action.type);
  }
}
