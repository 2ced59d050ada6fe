#!/usr/bin/env node
// Documents what wasm-bindgen writes into a build's declarations without doc comments, so that
// every export of the package is documented (the API reference fails on an undocumented one):
// each class's `free()`, and the loader's `InitInput`, `SyncInitInput` and `InitOutput`.
// `InitOutput` lists the module's raw exports (mangled glue functions); only its memory means
// anything outside the glue, so the declaration keeps just that.
//   node scripts/document-glue.mjs FILE.d.ts [FILE.d.cts ...]
import { readFileSync, writeFileSync } from "node:fs";

const FREE = "    /** Frees the wasm memory this object holds now, rather than when it is garbage-collected; the object is unusable after. */\n";
const INIT_INPUT = "/** Where `init` reads the `.wasm` from: a URL or request, a `Response`, its bytes, or a compiled module. */\n";
const SYNC_INIT_INPUT = "/** What `initSync` instantiates: the `.wasm` bytes or a compiled module. */\n";
const INIT_OUTPUT = `/** The instantiated module, as \`init\` and \`initSync\` return it. */
export interface InitOutput {
    /** The module's linear memory. */
    readonly memory: WebAssembly.Memory;
}`;

for (const file of process.argv.slice(2)) {
  const before = readFileSync(file, "utf8");
  let text = before.replace(/^(    free\(\): void;)$/gm, `${FREE}$1`);
  text = text.replace(/^export type InitInput = /m, `${INIT_INPUT}export type InitInput = `);
  text = text.replace(/^export type SyncInitInput = /m, `${SYNC_INIT_INPUT}export type SyncInitInput = `);
  text = text.replace(/^export interface InitOutput \{\n[\s\S]*?\n\}/m, INIT_OUTPUT);
  // A glue whose shape changed would silently keep undocumented exports: say so instead.
  if (/^export interface InitOutput/m.test(before) && !text.includes("The module's linear memory")) {
    console.error(`document-glue: ${file}: InitOutput not found in the expected form`);
    process.exit(1);
  }
  writeFileSync(file, text);
}
