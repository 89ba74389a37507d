import { Widget } from '@lumino/widgets';
import type { INotebookMemlens } from '../../tokens';
import { usageLevel } from '../../model/live/memory-limit';
import { limitSourceText } from '../alerts/text';
import { formatBytes } from '../format';
import { trans } from '../../common/i18n';

/**
 * Status bar item: the active notebook kernel's resident memory, against
 * its limit when the helper knows it (`Mem: 3.1 GiB / 24.0 GiB`), marked
 * from 80% and 90% of the limit. Clicking it opens the memlens panel.
 */
export class MemoryStatus extends Widget {
  constructor(onClick: () => void) {
    super();
    this.addClass('jp-memlens-status-item');
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
    const limit = this._model?.live.limit ?? null;
    const used = rss === null ? '—' : formatBytes(rss);
    const text =
      limit && rss !== null
        ? trans().__('Mem: %1 / %2', used, formatBytes(limit.bytes))
        : trans().__('Mem: %1', used);
    const title =
      limit && rss !== null
        ? trans().__(
            'Kernel memory (memlens): %1 of the %2 limit of %3 (%4%): click to open the panel',
            used,
            formatBytes(limit.bytes),
            limitSourceText(limit.source),
            Math.round((100 * rss) / limit.bytes)
          )
        : trans().__('Kernel memory (memlens): click to open the panel');
    const level = usageLevel(rss, limit);
    // called after every analysis too: the same text is not written again
    // (that would send the page through a layout pass)
    if (this.node.textContent !== text) {
      this.node.textContent = text;
    }
    if (this.node.title !== title) {
      this.node.title = title;
    }
    if (this.node.dataset.memlensLevel !== level) {
      this.node.dataset.memlensLevel = level;
    }
  }

  private _model: INotebookMemlens | null = null;
}
