import { Widget } from '@lumino/widgets';
import { h } from '../dom';

/**
 * A titled, collapsible section of the memlens panel. Subclasses fill
 * `body` in `render()`.
 */
export abstract class Section extends Widget {
  constructor(title: string, id: string) {
    super();
    this.id = `memlens-section-${id}`;
    this.addClass('jp-memlens-section');
    this.addClass(`jp-memlens-section-${id}`);
    const toggle = h('button', {
      className: 'jp-memlens-section-title',
      text: title,
      attrs: { 'aria-expanded': 'true', type: 'button' },
      onClick: () => {
        const collapsed = this.hasClass('jp-mod-collapsed');
        this.toggleClass('jp-mod-collapsed', !collapsed);
        toggle.setAttribute('aria-expanded', String(collapsed));
      }
    });
    this.header = h('div', { className: 'jp-memlens-section-header' }, [
      toggle
    ]);
    this.body = h('div', { className: 'jp-memlens-section-body' });
    this.node.append(this.header, this.body);
  }

  /** Redraw the section from its model. */
  abstract render(): void;

  protected readonly header: HTMLElement;
  protected readonly body: HTMLElement;
}
