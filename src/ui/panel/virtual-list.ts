import { h } from '../dom';

/**
 * A fixed-row-height virtual list: only the rows in view (plus a margin)
 * are in the DOM, so 10,000 variables scroll smoothly.
 */
export class VirtualList<T> {
  constructor(
    private readonly _renderRow: (item: T) => HTMLElement,
    private readonly _rowHeight = 40,
    private readonly _maxHeight = 400
  ) {
    this.node = h(
      'div',
      { className: 'jp-memlens-virtual', attrs: { role: 'rowgroup' } },
      [this._spacer]
    );
    this._spacer.appendChild(this._window);
    this.node.addEventListener('scroll', () => this._draw(), { passive: true });
  }

  /** The scroll container. */
  readonly node: HTMLElement;

  /** Replace the items and redraw. */
  setItems(items: readonly T[]): void {
    this._items = items;
    this.node.style.height = `${Math.min(items.length * this._rowHeight, this._maxHeight)}px`;
    this._spacer.style.height = `${items.length * this._rowHeight}px`;
    this._draw();
  }

  private _draw(): void {
    const margin = 10;
    const viewport = Math.min(
      this._items.length * this._rowHeight,
      this._maxHeight
    );
    const first = Math.max(
      0,
      Math.floor(this.node.scrollTop / this._rowHeight) - margin
    );
    const last = Math.min(
      this._items.length,
      Math.ceil((this.node.scrollTop + viewport) / this._rowHeight) + margin
    );
    this._window.style.transform = `translateY(${first * this._rowHeight}px)`;
    const rows: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const row = this._renderRow(this._items[i]);
      row.style.height = `${this._rowHeight}px`;
      rows.push(row);
    }
    this._window.replaceChildren(...rows);
  }

  private _items: readonly T[] = [];
  private _spacer = h('div', { className: 'jp-memlens-virtual-spacer' });
  private _window = h('div', { className: 'jp-memlens-virtual-window' });
}
