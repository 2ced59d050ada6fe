// The two DOM helpers every panel of the page uses.

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/** A new element: `props` are attributes (`dataset` and `className` set as properties), then its children. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "dataset") Object.assign(node.dataset, v);
    else if (k === "className") node.className = v;
    else node.setAttribute(k, v);
  }
  node.append(...children.filter((c) => c !== undefined && c !== null));
  return node;
}
