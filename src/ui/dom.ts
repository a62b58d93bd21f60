/** Small DOM helpers: elements built with text (never HTML strings), so no value is ever parsed as markup. */

type Child = Node | string;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}

export const byId = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

/** Show or hide a page section. */
export const showSection = (id: string, show: boolean): void => { byId(`sec-${id}`).classList.toggle('hidden', !show); };
