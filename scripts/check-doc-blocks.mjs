#!/usr/bin/env node
// Type-checks every TypeScript code block of README.md, docs/*.md and the npm README, and every
// `@example` of the package's declarations, so that no example a user copies can rot. Each block is a whole program, written to its own file under
// target/doc-blocks/ and checked with TypeScript 5.9 and 7 under the strictest settings users
// have (TypeScript 7's `tsc --init` defaults: strict, exactOptionalPropertyTypes,
// noUncheckedIndexedAccess, verbatimModuleSyntax, nodenext).
//
// The package's own declarations are checked with skipLibCheck off by tests/types; here it is on,
// as `tsc --init` sets it, because third-party types a block imports (ioredis) fail without it.
//
// The fence's info string says how: ```ts is a Node ES module, ```ts cjs a CommonJS module,
// ```ts browser a browser module (bundler resolution, no Node types: it gets the browser build's
// types). A ```js block is refused: write it as TypeScript so that it is checked. A ```sh block
// must parse (`bash -n`) and a ```json block must be JSON; plain text blocks are left alone.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const out = join(root, "target/doc-blocks");
const sources = ["README.md", "pkg-template/README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];

/** The fenced blocks of a Markdown text: info string, first line number, code. */
function blocks(text) {
  const found = [];
  let open = null;
  text.split("\n").forEach((line, i) => {
    // Fences may be indented (a block inside a list item); the block's lines lose that indent.
    const fence = /^(\s*)```(.*)$/.exec(line);
    if (!fence) {
      if (open) open.code.push(line.startsWith(open.indent) ? line.slice(open.indent.length) : line);
    } else if (open) {
      found.push({ info: open.info, line: open.line, code: open.code.join("\n") + "\n" });
      open = null;
    } else {
      open = { indent: fence[1], info: fence[2].trim(), line: i + 1, code: [] };
    }
  });
  return found;
}

const KINDS = {
  ts: { dir: "node", ext: "mts" },
  "ts cjs": { dir: "node", ext: "cts" },
  "ts browser": { dir: "browser", ext: "ts" },
};
const problems = [];
const files = { node: [], browser: [] };
const origin = new Map(); // file name -> where its block starts in the Markdown
let shellCount = 0;
let jsonCount = 0;
rmSync(out, { recursive: true, force: true });
for (const dir of Object.keys(files)) mkdirSync(join(out, dir), { recursive: true });
for (const source of sources) {
  for (const block of blocks(readFileSync(join(root, source), "utf8"))) {
    const kind = KINDS[block.info];
    if (/^(js|javascript|mjs|cjs|typescript|tsx?)\b/.test(block.info) && !kind) {
      problems.push(`${source}:${block.line}: a \`\`\`${block.info} block is not checked; write it as \`\`\`ts (or \`\`\`ts cjs, \`\`\`ts browser)`);
      continue;
    }
    // Shell blocks must at least parse (`bash -n`); JSON blocks must be JSON.
    if (/^(sh|bash|shell)$/.test(block.info)) {
      try {
        execFileSync("bash", ["-n"], { input: block.code, stdio: ["pipe", "pipe", "pipe"] });
        shellCount++;
      } catch (e) {
        problems.push(`${source}:${block.line}: the shell block does not parse: ${String(e.stderr).trim()}`);
      }
      continue;
    }
    if (block.info === "json") {
      try {
        JSON.parse(block.code);
        jsonCount++;
      } catch (e) {
        problems.push(`${source}:${block.line}: the JSON block is not JSON: ${e.message}`);
      }
      continue;
    }
    if (!kind) continue;
    // The file name says where the block comes from, so compiler errors point back to it.
    const name = `${source.replace(/[/.]/g, "_")}_L${block.line}.${kind.ext}`;
    writeFileSync(join(out, kind.dir, name), block.code);
    origin.set(name, { source, line: block.line });
    files[kind.dir].push(name);
  }
}

// The `@example` of each doc comment in the installed package's declarations (what an editor
// shows on hover), each checked as a Node module. The same example in several builds is checked
// once.
const DECLARATIONS = ["web.d.ts", "node/index.d.ts", "node/web.d.ts", "emulator/web.d.ts", "webhook/index.d.ts", "redis/index.d.ts"];
const seen = new Set();
for (const declaration of DECLARATIONS) {
  const path = join(root, "node_modules/tim-sns", declaration);
  const lines = readFileSync(path, "utf8").split("\n");
  lines.forEach((line, i) => {
    if (!/^\s*\* @example\s*$/.test(line)) return;
    const code = [];
    for (let j = i + 1; j < lines.length && !/^\s*\*\/|^\s*\* @/.test(lines[j]); j++) code.push(lines[j].replace(/^\s*\* ?/, ""));
    const text = code.join("\n").trim() + "\n";
    if (seen.has(text)) return;
    seen.add(text);
    const name = `tim-sns_${declaration.replace(/[/.]/g, "_")}_L${i + 2}.mts`;
    writeFileSync(join(out, "node", name), text);
    files.node.push(name);
    origin.set(name, { source: `node_modules/tim-sns/${declaration}`, line: i + 1 });
  });
}

// The settings are TypeScript 7's `tsc --init` defaults as tests/types/tsconfig.init.json keeps
// them (the examples are checked under the same file); the browser blocks swap Node's resolution
// and types for a bundler's and the DOM's.
const init = JSON.parse(readFileSync(join(root, "tests/types/tsconfig.init.json"), "utf8")).compilerOptions;
const SETTINGS = {
  node: { ...init, skipLibCheck: true },
  browser: { ...init, module: "esnext", moduleResolution: "bundler", types: [], lib: ["es2022", "dom"], skipLibCheck: true },
};
const compilers = { "TypeScript 5.9": "node_modules/typescript/bin/tsc", "TypeScript 7": "node_modules/typescript7/bin/tsc" };
let count = 0;
for (const [dir, names] of Object.entries(files)) {
  if (names.length === 0) continue;
  count += names.length;
  const config = join(out, dir, "tsconfig.json");
  writeFileSync(config, JSON.stringify({ compilerOptions: SETTINGS[dir], files: names }, null, 2));
  for (const [label, tsc] of Object.entries(compilers)) {
    try {
      execFileSync(process.execPath, [join(root, tsc), "-p", config], { cwd: root, encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      // Each error is shown at its line in the Markdown file.
      const text = (e.stdout || e.stderr || String(e)).trim().replace(/target\/doc-blocks\/\w+\/([^(\s]+)\((\d+),(\d+)\)/g, (all, name, row, col) => {
        const at = origin.get(name);
        return at ? `${at.source}:${at.line + Number(row)}:${col}` : all;
      });
      problems.push(`${label}, ${dir} blocks:\n${text}`);
    }
  }
}
if (problems.length) {
  console.error(`check-doc-blocks: ${problems.length} problem(s) (blocks are written to target/doc-blocks/, named after their file and line):\n${problems.join("\n")}`);
  process.exit(1);
}
console.log(`check-doc-blocks: ${count} code blocks (${count - seen.size} of ${sources.length} Markdown files, ${seen.size} @example of the package's declarations) type-check with TypeScript 5.9 and 7 (${basename(out)}/); ${shellCount} shell blocks parse, ${jsonCount} JSON blocks are JSON`);
