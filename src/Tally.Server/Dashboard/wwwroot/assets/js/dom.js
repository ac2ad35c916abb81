// Tiny DOM and SVG builders: no template strings into innerHTML, so nothing from the data is ever parsed as markup.

const SVG_NS = "http://www.w3.org/2000/svg";

function build(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === "text") {
      node.textContent = value;
    } else if (name.startsWith("on") && typeof value === "function") {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

/** An HTML element: el("td", { class: "num", "data-col": "cost", text: "$1.00" }). */
export function el(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element. */
export function svg(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** Replaces `node`'s children. */
export function replace(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

/** The element with `data-testid="id"`. */
export function byTestId(id) {
  return document.querySelector(`[data-testid="${id}"]`);
}

/** A horizontal bar for a share (0–1) of something, its width set through the CSSOM (allowed by the page's CSP). */
export function bar(share, color, label) {
  const fill = el("span", { class: "fill" });
  fill.style.width = `${Math.max(0, Math.min(1, share)) * 100}%`;
  if (color) {
    fill.style.background = color;
  }
  return label ? el("span", { class: "bar", role: "img", "aria-label": label }, fill) : el("span", { class: "bar", "aria-hidden": "true" }, fill);
}

/** A message for an empty widget. */
export function empty(text) {
  return el("p", { class: "empty", "data-testid": "empty", text });
}
