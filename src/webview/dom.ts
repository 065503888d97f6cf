/// <reference lib="dom" />
/** Small DOM helpers of the dashboard: elements are built with text only, never from HTML strings. */

/** Creates `<tag>` with attributes and children (strings become text nodes). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K, attributes: Record<string, string> = {}, ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) element.append(child);
  return element;
}

/** Sets a node's text only when it changed (keeps screen readers and selection quiet). */
export function setText(node: Element, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

/** Sets an attribute only when it changed. */
export function setAttr(node: Element, name: string, value: string): void {
  if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}

/**
 * Keeps `parent`'s children in step with `items` by key: existing elements are updated in place (so a focused
 * button keeps its focus across updates), new ones created, gone ones removed, order followed.
 */
export function reconcile<T>(
  parent: Element, items: readonly T[], keyOf: (item: T) => string,
  create: (item: T) => HTMLElement, update: (element: HTMLElement, item: T) => void,
): void {
  const existing = new Map<string, HTMLElement>();
  for (const child of Array.from(parent.children)) {
    if (child instanceof HTMLElement && child.dataset.key !== undefined) existing.set(child.dataset.key, child);
  }
  let cursor: Element | null = parent.firstElementChild;
  for (const item of items) {
    const key = keyOf(item);
    let element = existing.get(key);
    existing.delete(key);
    if (!element) {
      element = create(item);
      element.dataset.key = key;
    }
    update(element, item);
    if (element !== cursor) parent.insertBefore(element, cursor);
    else cursor = cursor.nextElementSibling;
  }
  for (const gone of existing.values()) gone.remove();
}
