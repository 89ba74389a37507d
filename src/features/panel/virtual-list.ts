import { h } from '../dom';

/** How a virtual list draws and identifies its items. */
export interface IVirtualListOptions<T> {
  /** Build the row element of an item. */
  render(item: T): HTMLElement;
  /** A stable identity (the variable name): a row keeps it across updates. */
  key(item: T): string;
  /**
   * Whether two versions of an item draw the same row. Only rows in view
   * are compared, so this may serialize the item.
   */
  same(a: T, b: T): boolean;
  /** Row height in px (fixed). */
  rowHeight?: number;
  /** Height of the list before it scrolls, in px. */
  maxHeight?: number;
  /** Label of the list for screen readers. */
  label?: string;
}

/** Rows drawn beyond the visible ones, above and below. */
const MARGIN = 10;

/**
 * A fixed-row-height virtual list: only the rows in view (plus a margin)
 * are in the DOM, and they are recycled. A new set of items or a scroll
 * re-renders only rows whose item changed or that came into view, so
 * 10,000 variables update and scroll without rebuilding every row.
 *
 * Keyboard: the list is one tab stop; ArrowUp/ArrowDown, Home/End and
 * PageUp/PageDown move between rows (a roving `tabindex`), and Tab then
 * reaches the focused row's buttons.
 */
export class VirtualList<T> {
  constructor(private readonly _options: IVirtualListOptions<T>) {
    this._rowHeight = _options.rowHeight ?? 40;
    this._maxHeight = _options.maxHeight ?? 400;
    this.node = h(
      'div',
      {
        className: 'jp-memlens-virtual',
        attrs: {
          role: 'grid',
          'aria-label': _options.label ?? 'List',
          'aria-rowcount': '0'
        }
      },
      [this._spacer]
    );
    this._spacer.appendChild(this._window);
    this.node.addEventListener('scroll', () => this._draw(), { passive: true });
    this.node.addEventListener('keydown', event => this._onKeyDown(event));
    this.node.addEventListener('focusin', event => this._onFocusIn(event));
  }

  /** The scroll container. */
  readonly node: HTMLElement;

  /** The items, in order. */
  get items(): readonly T[] {
    return this._items;
  }

  /** Replace the items and redraw the rows that changed. */
  setItems(items: readonly T[]): void {
    this._items = items;
    this._index = new Map(items.map((item, i) => [this._options.key(item), i]));
    this.node.style.height = `${Math.min(items.length * this._rowHeight, this._maxHeight)}px`;
    this._spacer.style.height = `${items.length * this._rowHeight}px`;
    this.node.setAttribute('aria-rowcount', String(items.length));
    this._draw();
  }

  /** Move keyboard focus to the row of `key` (scrolling it into view). */
  focus(key: string): void {
    const index = this._index.get(key);
    if (index === undefined) {
      return;
    }
    this._activeKey = key;
    this._scrollTo(index);
    this._draw();
    this._rows.get(key)?.element.focus();
  }

  private _draw(): void {
    const count = this._items.length;
    const viewport = Math.min(count * this._rowHeight, this._maxHeight);
    const first = Math.max(
      0,
      Math.floor(this.node.scrollTop / this._rowHeight) - MARGIN
    );
    const last = Math.min(
      count,
      Math.ceil((this.node.scrollTop + viewport) / this._rowHeight) + MARGIN
    );
    if (this._activeKey === null || !this._index.has(this._activeKey)) {
      this._activeKey = count > 0 ? this._options.key(this._items[0]) : null;
    }
    const rows = new Map<string, IRow<T>>();
    const elements: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const item = this._items[i];
      const key = this._options.key(item);
      const old = this._rows.get(key);
      const row =
        old && this._options.same(old.item, item)
          ? { item, element: old.element }
          : { item, element: this._options.render(item) };
      const element = row.element;
      element.style.height = `${this._rowHeight}px`;
      element.setAttribute('aria-rowindex', String(i + 1));
      element.tabIndex = key === this._activeKey ? 0 : -1;
      rows.set(key, row);
      elements.push(element);
    }
    this._rows = rows;
    this._window.style.transform = `translateY(${first * this._rowHeight}px)`;
    this._place(elements);
  }

  /** Put `elements` in the window in order, moving only what changed. */
  private _place(elements: HTMLElement[]): void {
    const window = this._window;
    const keep = new Set(elements);
    for (const child of Array.from(window.children)) {
      if (!keep.has(child as HTMLElement)) {
        child.remove();
      }
    }
    let cursor = window.firstElementChild;
    for (const element of elements) {
      if (element === cursor) {
        cursor = cursor.nextElementSibling;
      } else {
        window.insertBefore(element, cursor);
      }
    }
  }

  private _onKeyDown(event: KeyboardEvent): void {
    const current =
      this._activeKey !== null ? this._index.get(this._activeKey) : undefined;
    if (current === undefined) {
      return;
    }
    const page = Math.max(1, Math.floor(this._maxHeight / this._rowHeight));
    const target: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      PageDown: current + page,
      PageUp: current - page,
      Home: 0,
      End: this._items.length - 1
    };
    const next = target[event.key];
    // Only when a row itself has focus: arrows inside a button stay native.
    if (next === undefined || !this._isRow(event.target)) {
      return;
    }
    event.preventDefault();
    const index = Math.min(Math.max(next, 0), this._items.length - 1);
    this.focus(this._options.key(this._items[index]));
  }

  /** Clicking or tabbing into a row makes it the active one. */
  private _onFocusIn(event: FocusEvent): void {
    for (const [key, row] of this._rows) {
      if (row.element.contains(event.target as Node)) {
        if (this._activeKey !== key) {
          this._activeKey = key;
          for (const [other, { element }] of this._rows) {
            element.tabIndex = other === key ? 0 : -1;
          }
        }
        return;
      }
    }
  }

  private _isRow(target: EventTarget | null): boolean {
    for (const row of this._rows.values()) {
      if (row.element === target) {
        return true;
      }
    }
    return false;
  }

  private _scrollTo(index: number): void {
    const top = index * this._rowHeight;
    const bottom = top + this._rowHeight;
    const viewport = this.node.clientHeight || this._maxHeight;
    if (top < this.node.scrollTop) {
      this.node.scrollTop = top;
    } else if (bottom > this.node.scrollTop + viewport) {
      this.node.scrollTop = bottom - viewport;
    }
  }

  private readonly _rowHeight: number;
  private readonly _maxHeight: number;
  private _items: readonly T[] = [];
  private _index = new Map<string, number>();
  private _rows = new Map<string, IRow<T>>();
  private _activeKey: string | null = null;
  private _spacer = h('div', { className: 'jp-memlens-virtual-spacer' });
  private _window = h('div', { className: 'jp-memlens-virtual-window' });
}

interface IRow<T> {
  item: T;
  element: HTMLElement;
}
