import { runKernelAction } from '../../actions/kernel';
import type { NotebookMemlens } from '../../notebook/notebook-memlens';
import { button, h, replaceChildren } from '../dom';
import { Section } from './section';

/** Garbage collector facts, "collect" and "release to OS". */
export class GcSection extends Section {
  constructor() {
    super('Garbage collector', 'gc');
    this.body.append(
      this._facts,
      h('div', { className: 'jp-memlens-toolbar' }, [
        button(
          'Collect',
          'jp-memlens-collect',
          () => void this.collect(),
          'Run gc.collect() in the kernel'
        ),
        button(
          'Release to OS',
          'jp-memlens-release',
          () => void this._run('release_to_os'),
          'Return freed heap memory to the operating system (malloc_trim)'
        )
      ]),
      this._result
    );
  }

  set model(model: NotebookMemlens | null) {
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
        ? 'Automatic collection on'
        : 'Automatic collection OFF (gc.disable() was called)',
      gc.frozen ? `${gc.frozen} frozen objects` : null,
      gc.garbage ? `${gc.garbage} uncollectable objects in gc.garbage` : null
    ];
    replaceChildren(this._facts, [
      h('div', { text: notes.filter(Boolean).join('; ') }),
      h('table', { className: 'jp-memlens-gc' }, [
        h('thead', {}, [
          h(
            'tr',
            {},
            [
              ['gen', 'Generation'],
              [
                'count / threshold',
                'Allocations since the last collection / the threshold that triggers one'
              ],
              ['runs', 'Collections so far'],
              ['freed', 'Objects collected so far']
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
      action === 'collect' ? 'Collecting…' : 'Releasing…';
    this._result.textContent = (await runKernelAction(model, action)).text;
  }

  private _model: NotebookMemlens | null = null;
  private _facts = h('div', { className: 'jp-memlens-gc-facts' });
  private _result = h('div', {
    className: 'jp-memlens-action-result',
    attrs: { 'aria-live': 'polite' }
  });
}
