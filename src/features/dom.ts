/**
 * A tiny DOM builder for the panel. Text is always set with `textContent`:
 * names, types and messages come from the kernel and must never be parsed
 * as HTML.
 */

/** Options of `h`. */
export interface IElementOptions {
  className?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string>;
  onClick?: (event: Event) => void;
}

/** Create an element with classes, text, attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: IElementOptions = {},
  children: (Node | null | undefined)[] = []
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.className) {
    element.className = options.className;
  }
  if (options.text !== undefined) {
    element.textContent = options.text;
  }
  if (options.title) {
    element.title = options.title;
  }
  for (const [name, value] of Object.entries(options.attrs ?? {})) {
    element.setAttribute(name, value);
  }
  if (options.onClick) {
    element.addEventListener('click', options.onClick);
  }
  for (const child of children) {
    if (child) {
      element.appendChild(child);
    }
  }
  return element;
}

/** A small text button. */
export function button(
  label: string,
  className: string,
  onClick: (event: Event) => void,
  title?: string
): HTMLButtonElement {
  const element = h('button', {
    className: `jp-memlens-button ${className}`,
    text: label,
    title,
    onClick
  });
  element.type = 'button';
  return element;
}

/** Replace all children of `parent`. */
export function replaceChildren(
  parent: Element,
  children: (Node | null | undefined)[]
): void {
  parent.replaceChildren(...children.filter((c): c is Node => !!c));
}

/**
 * Make `parent`'s children exactly `children`, moving or inserting only the
 * nodes that are not already in place: a list redrawn with mostly the same
 * nodes then costs the page little style and layout work.
 */
export function patchChildren(parent: Element, children: Node[]): void {
  children.forEach((child, index) => {
    const current = parent.childNodes[index] ?? null;
    if (current !== child) {
      parent.insertBefore(child, current);
    }
  });
  while (parent.childNodes.length > children.length) {
    parent.lastChild!.remove();
  }
}
