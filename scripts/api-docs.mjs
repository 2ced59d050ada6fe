#!/usr/bin/env node
// Builds the API reference (HTML, target/api-docs/) from the installed package's declarations
// with TypeDoc: what users import is what is documented. Fails on any TypeDoc warning, among
// them an export, member or parameter type without a doc comment, and a broken {@link}.
// The only exceptions (scripts/typedoc.json) are the `CallbackCommand` discriminants that tsify
// writes into the `SnsCallback` union, whose variants are documented on the union itself.
// Run after scripts/install-pkg.sh:  node scripts/api-docs.mjs
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const root = new URL("..", import.meta.url).pathname;
if (!existsSync(`${root}node_modules/tim-sns/package.json`)) {
  console.error("api-docs: node_modules/tim-sns is missing; run scripts/build-pkg.sh and scripts/install-pkg.sh");
  process.exit(1);
}
try {
  const out = execFileSync(process.execPath, [
    `${root}node_modules/typedoc/bin/typedoc`, "--options", `${root}scripts/typedoc.json`, "--tsconfig", `${root}scripts/typedoc.tsconfig.json`, "--logLevel", "Warn",
  ], { cwd: root, encoding: "utf8", stdio: "pipe", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
  if (out.trim()) console.log(out.trim());
} catch (e) {
  console.error(`api-docs: TypeDoc failed:\n${(e.stdout ?? "") + (e.stderr ?? "")}`.trim());
  process.exit(1);
}
console.log("api-docs: the API reference is in target/api-docs/index.html (no TypeDoc warnings)");
