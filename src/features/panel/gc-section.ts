import { runKernelAction } from '../actions/kernel';
import type { INotebookMemlens } from '../../tokens';
import { button, h, replaceChildren } from '../dom';
import { showOutcome } from './outcome';
import { Section } from './section';
import { trans } from '../../common/i18n';

/** Garbage collector facts, "collect" and "release to OS". */
export class GcSection extends Section {
  constructor() {
    super(trans().__('Garbage collector'), 'gc');
    this.body.append(
      this._facts,
      h('div', { className: 'jp-memlens-toolbar' }, [
        button(
          trans().__('Collect'),
          'jp-memlens-collect',
          () => void this.collect(),
          trans().__('Run gc.collect() in the kernel')
        ),
        button(
          trans().__('Release to OS'),
          'jp-memlens-release',
          () => void this._run('release_to_os'),
          trans().__(
            'Return freed heap memory to the operating system (malloc_trim)'
          )
        )
      ]),
      this._result
    );
  }

  set model(model: INotebookMemlens | null) {
    this._model = model;
    replaceChildren(this._result, []);
    this.render();
  }

  render(): void {
    const gc = this._model?.live.snapshot?.gc;
    if (!gc) {
      replaceChildren(this._facts, []);
      return;
    }
    const rows = gc.count.map((count, generation) => {
      const stats = gc.stats[generation];
      return h('tr', {}, [
        h('td', { text: String(generation) }),
        h('td', {
          className: 'jp-memlens-num',
          text: `${count} / ${gc.threshold[generation] ?? '?'}`
        }),
        h('td', {
          className: 'jp-memlens-num',
          text: String(stats?.collections ?? '')
        }),
        h('td', {
          className: 'jp-memlens-num',
          text: String(stats?.collected ?? '')
        })
      ]);
    });
    const notes = [
      gc.enabled
        ? trans().__('Automatic collection on')
        : trans().__('Automatic collection OFF (gc.disable() was called)'),
      gc.frozen ? trans().__('%1 frozen objects', gc.frozen) : null,
      gc.garbage
        ? trans().__('%1 uncollectable objects in gc.garbage', gc.garbage)
        : null
    ];
    replaceChildren(this._facts, [
      h('div', { text: notes.filter(Boolean).join('; ') }),
      h('table', { className: 'jp-memlens-gc' }, [
        h('thead', {}, [
          h(
            'tr',
            {},
            [
              [trans().__('gen'), trans().__('Generation')],
              [
                'count / threshold',
                'Allocations since the last collection / the threshold that triggers one'
              ],
              [trans().__('runs'), trans().__('Collections so far')],
              [trans().__('freed'), trans().__('Objects collected so far')]
            ].map(([text, title]) => h('th', { text, title }))
          )
        ]),
        h('tbody', {}, rows)
      ])
    ]);
  }

  /** Run a full collection and show what it freed. */
  collect(): Promise<void> {
    return this._run('collect');
  }

  private async _run(action: 'collect' | 'release_to_os'): Promise<void> {
    const model = this._model;
    if (!model) {
      return;
    }
    this._result.textContent =
      action === 'collect'
        ? trans().__('Collecting…')
        : trans().__('Releasing…');
    showOutcome(this._result, await runKernelAction(model, action), model);
  }

  private _model: INotebookMemlens | null = null;
  private _facts = h('div', { className: 'jp-memlens-gc-facts' });
  private _result = h('div', {
    className: 'jp-memlens-action-result',
    attrs: { 'aria-live': 'polite' }
  });
}
