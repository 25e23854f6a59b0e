/**
 * A strict little XML parser for checking the figures' SVG without a DOM:
 * it rejects unbalanced or misnested tags, unquoted or duplicate
 * attributes, raw `<` or `&` in text, unknown entities and text outside the
 * root element.
 *
 * @module
 */

/** An element: its name, attributes and children (elements or text). */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: (XmlElement | string)[];
}

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
};

function decode(raw: string, where: number): string {
  if (raw.includes("<")) {
    throw new Error(`Cannot parse XML at ${where}: raw "<" in text`);
  }
  return raw.replace(/&([^;\s&]*);?/g, (m, name: string) => {
    if (!m.endsWith(";")) {
      throw new Error(`Cannot parse XML at ${where}: bare "&" in "${raw}"`);
    }
    if (name in ENTITIES) return ENTITIES[name];
    const num = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(name);
    if (num) {
      return String.fromCodePoint(
        num[1][0] === "x" ? parseInt(num[1].slice(1), 16) : Number(num[1]),
      );
    }
    throw new Error(`Cannot parse XML at ${where}: unknown entity "${m}"`);
  });
}

/**
 * Parses a document with exactly one root element (surrounding whitespace
 * allowed, no prolog, comments or CDATA: the figures write none).
 */
export function parseXml(text: string): XmlElement {
  const tagRe =
    /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[^\s=/>]+\s*=\s*"[^"]*")*)\s*(\/?)>/y;
  const attrRe = /\s+([^\s=/>]+)\s*=\s*"([^"]*)"/g;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf("<", i);
    const chunk = text.slice(i, lt < 0 ? text.length : lt);
    if (chunk !== "") {
      if (stack.length === 0) {
        if (chunk.trim() !== "") {
          throw new Error(`Cannot parse XML at ${i}: text outside the root`);
        }
      } else {
        stack[stack.length - 1].children.push(decode(chunk, i));
      }
    }
    if (lt < 0) break;
    tagRe.lastIndex = lt;
    const m = tagRe.exec(text);
    if (!m) {
      throw new Error(
        `Cannot parse XML at ${lt}: malformed tag "${text.slice(lt, lt + 40)}"`,
      );
    }
    const [whole, close, name, attrText, selfClose] = m;
    if (close) {
      const open = stack.pop();
      if (!open || open.name !== name || attrText !== "" || selfClose) {
        throw new Error(
          `Cannot parse XML at ${lt}: </${name}> closes <${
            open?.name ?? "nothing"
          }>`,
        );
      }
    } else {
      const attrs: Record<string, string> = {};
      for (const a of attrText.matchAll(attrRe)) {
        if (a[1] in attrs) {
          throw new Error(
            `Cannot parse XML at ${lt}: duplicate attribute "${a[1]}"`,
          );
        }
        attrs[a[1]] = decode(a[2], lt);
      }
      const el: XmlElement = { name, attrs, children: [] };
      if (stack.length > 0) stack[stack.length - 1].children.push(el);
      else if (root) {
        throw new Error(`Cannot parse XML at ${lt}: a second root element`);
      } else root = el;
      if (!selfClose) stack.push(el);
    }
    i = lt + whole.length;
  }
  if (stack.length > 0) {
    throw new Error(
      `Cannot parse XML: <${stack[stack.length - 1].name}> is never closed`,
    );
  }
  if (!root) throw new Error("Cannot parse XML: no root element");
  return root;
}

/** Every element under `root` (depth first, root included) passing `test`. */
export function findAll(
  root: XmlElement,
  test: (e: XmlElement) => boolean,
): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    if (test(e)) out.push(e);
    for (const c of e.children) if (typeof c !== "string") walk(c);
  };
  walk(root);
  return out;
}

/** Elements named `name` with class `cls` (one of its classes) when given. */
export function byName(
  root: XmlElement,
  name: string,
  cls?: string,
): XmlElement[] {
  return findAll(
    root,
    (e) =>
      e.name === name &&
      (cls === undefined || (e.attrs.class ?? "").split(" ").includes(cls)),
  );
}

/** All text inside `e`, concatenated. */
export function textOf(e: XmlElement): string {
  return e.children.map((c) => typeof c === "string" ? c : textOf(c)).join("");
}
