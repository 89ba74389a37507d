import { Widget } from '@lumino/widgets';
import type { INotebookMemlens } from '../../tokens';
import { formatBytes } from '../format';
import { trans } from '../../common/i18n';

/**
 * Status bar item: the active notebook kernel's resident memory. Clicking
 * it opens the memlens panel.
 */
export class MemoryStatus extends Widget {
  constructor(onClick: () => void) {
    super();
    this.addClass('jp-memlens-status-item');
    this.node.title = trans().__(
      'Kernel memory (memlens): click to open the panel'
    );
    this.node.addEventListener('click', onClick);
    this.render();
  }

  set model(model: INotebookMemlens | null) {
    this._model?.changed.disconnect(this.render, this);
    this._model = model;
    model?.changed.connect(this.render, this);
    this.render();
  }

  render(): void {
    const rss = this._model?.live.rssBytes ?? null;
    const text = trans().__('Mem: %1', rss === null ? '—' : formatBytes(rss));
    // called after every analysis too: the same text is not written again
    // (that would send the page through a layout pass)
    if (this.node.textContent !== text) {
      this.node.textContent = text;
    }
  }

  private _model: INotebookMemlens | null = null;
}
