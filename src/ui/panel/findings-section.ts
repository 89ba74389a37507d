import type { IFinding, IRule } from '../../analysis/types';
import type { LiveFinding } from '../../kernel/protocol';
import type { NotebookMemlens } from '../../notebook/notebook-memlens';
import { h, replaceChildren } from '../dom';
import { Section } from './section';

/** A finding of either kind, as the section lists it. */
type AnyFinding =
  | { kind: 'static'; finding: IFinding }
  | { kind: 'live'; finding: LiveFinding };

/**
 * All findings of the notebook grouped by rule: static ones jump to their
 * cell and line; each group shows the rule's documentation on demand.
 */
export class FindingsSection extends Section {
  constructor(private readonly _rules: readonly IRule[]) {
    super('Findings', 'findings');
    this.body.append(this._list);
  }

  set model(model: NotebookMemlens | null) {
    this._model = model;
    this.render();
  }

  render(): void {
    const model = this._model;
    if (!model) {
      replaceChildren(this._list, []);
      return;
    }
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
      replaceChildren(this._list, [
        h('div', {
          className: 'jp-memlens-muted',
          text: model.analysis.error
            ? `Analysis failed: ${model.analysis.error}`
            : 'No memory issues found.'
        })
      ]);
      return;
    }
    const ids = [...groups.keys()].sort();
    replaceChildren(
      this._list,
      ids.map(id => this._group(id, groups.get(id)!))
    );
  }

  private _group(id: string, items: AnyFinding[]): HTMLElement {
    const rule = this._rules.find(r => r.id === id);
    const docs = rule
      ? h('details', { className: 'jp-memlens-docs' }, [
          h('summary', { text: 'Why and how to fix' }),
          h('p', { text: rule.docs.why }),
          h('p', { text: rule.docs.whatToDo }),
          h('div', { className: 'jp-memlens-docs-label', text: 'Instead of' }),
          h('pre', { className: 'jp-memlens-code', text: rule.docs.bad }),
          h('div', { className: 'jp-memlens-docs-label', text: 'write' }),
          h('pre', { className: 'jp-memlens-code', text: rule.docs.good })
        ])
      : null;
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
      return h('li', {
        className: `jp-memlens-finding jp-memlens-${item.finding.severity}`,
        text: item.finding.message
      });
    }
    const finding = item.finding;
    return h(
      'li',
      { className: `jp-memlens-finding jp-memlens-${finding.severity}` },
      [
        h('button', {
          className: 'jp-memlens-jump',
          text: `cell ${finding.cell + 1}, line ${finding.line + 1}`,
          attrs: { type: 'button' },
          onClick: () => this._jump(finding)
        }),
        h('span', { text: ` ${finding.message}` })
      ]
    );
  }

  private _jump(finding: IFinding): void {
    const notebook = this._model?.panel.content;
    const cell = notebook?.widgets[finding.cell];
    if (!notebook || !cell) {
      return;
    }
    notebook.activeCellIndex = finding.cell;
    void notebook.scrollToItem(finding.cell).then(() => {
      const editor = cell.editor;
      if (editor) {
        editor.setCursorPosition({
          line: finding.line,
          column: finding.column
        });
        editor.focus();
      }
    });
  }

  private _model: NotebookMemlens | null = null;
  private _list = h('div', { className: 'jp-memlens-findings-list' });
}
