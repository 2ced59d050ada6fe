// The TypeScript types of each command, read from the package's own declaration file (web.d.ts,
// next to web.js), so the page shows exactly what a TypeScript user gets, with the limits that
// the doc comments state. Nothing here is written by hand: a renamed or changed type shows up
// as it is.

/**
 * Splits a .d.ts into its top-level `export interface` and `export type` declarations.
 * @param {string} text the declaration file
 * @returns {Map<string, { text: string, doc: string }>} name → the declaration with its doc comment
 */
export function parseDeclarations(text) {
  const found = new Map();
  const lines = text.split("\n");
  let doc = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith("/**")) {
      doc = [line];
      while (!lines[i].includes("*/") && i + 1 < lines.length) doc.push(lines[++i]);
      continue;
    }
    const m = /^export (interface|type) (\w+)/.exec(line);
    if (!m) {
      if (line.trim() !== "") doc = [];
      continue;
    }
    // A declaration ends where its braces balance again: at the interface's closing brace, or
    // at the type alias's semicolon. Either may sit on the first line (`extends Envelope {}`).
    const body = [];
    let depth = 0;
    for (;;) {
      const l = lines[i];
      body.push(l);
      for (const c of l) depth += c === "{" ? 1 : c === "}" ? -1 : 0;
      const done = depth === 0 && (m[1] === "interface" ? l.includes("}") : l.trimEnd().endsWith(";"));
      if (done || i + 1 >= lines.length) break;
      i++;
    }
    found.set(m[2], { text: [...doc, ...body].join("\n"), doc: doc.join("\n") });
    doc = [];
  }
  return found;
}

/** Names of declared types that `text` refers to, in order of first use. */
function referenced(text, declarations, self) {
  const names = [];
  // Skip the doc comments: they mention other types in prose.
  const code = text.replace(/\/\*\*[\s\S]*?\*\//g, "");
  for (const [, name] of code.matchAll(/\b([A-Z]\w*)\b/g)) {
    if (name !== self && declarations.has(name) && !names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * The declaration documented as `command`'s `kind` ("request body" or "response"), followed by
 * every declared type it uses, depth first.
 * @param {Map<string, { text: string, doc: string }>} declarations from `parseDeclarations`
 * @param {string} command e.g. `friend_add`
 * @param {"request body" | "response"} kind
 * @returns {{ name: string, text: string } | null} `null` when no declaration is documented so
 */
export function typeOf(declarations, command, kind) {
  let root = null;
  // The doc comment opens with the commands it serves: " * `a` and `b` request body."
  const opening = new RegExp(`^ \\* ((?:\`\\w+\`(?: and |, )?)+) ${kind}\\b`, "m");
  for (const [name, d] of declarations) {
    const m = opening.exec(d.doc);
    if (m && m[1].split(/ and |, /).includes("`" + command + "`")) {
      root = name;
      break;
    }
  }
  if (!root) return null;
  const order = [];
  const visit = (name) => {
    if (order.includes(name)) return;
    order.push(name);
    for (const next of referenced(declarations.get(name).text, declarations, name)) visit(next);
  };
  visit(root);
  return { name: root, text: order.map((n) => declarations.get(n).text).join("\n\n") };
}

/**
 * Fetches and parses the declarations that ship beside the module at `moduleUrl`.
 * @param {string} moduleUrl the URL of the package's web.js
 */
export async function loadDeclarations(moduleUrl) {
  const url = new URL("web.d.ts", moduleUrl);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
  return parseDeclarations(await response.text());
}
