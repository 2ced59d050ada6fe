// The programs in examples/ run as users would run them (transpiled with TypeScript, against the
// emulator, no Tencent account) and print what they promise. scripts/test.sh type-checks them
// under every tsconfig setting of tests/types/ with TypeScript 5.9 and 7.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const ts = createRequire(import.meta.url)("typescript");
const root = new URL("../../", import.meta.url);
const src = new URL("examples/", root);
// Under target/ (an ES module scope: the workspace's package.json), where `tim-sns` resolves to
// the installed package.
const out = new URL("target/examples/", root);
mkdirSync(out, { recursive: true });
for (const name of readdirSync(src).filter((f) => f.endsWith(".ts"))) {
  const { outputText } = ts.transpileModule(readFileSync(new URL(name, src), "utf8"), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  writeFileSync(new URL(name.replace(/\.ts$/, ".js"), out), outputText);
}
const run = (name) => {
  const env = { ...process.env };
  for (const k of ["TIM_SECRET_KEY", "TIM_REGION"]) delete env[k];
  return execFileSync(process.execPath, [fileURLToPath(new URL(name, out))], { encoding: "utf8", env });
};

test("admin.ts: imports, checks, pages, blocks, and names the rule a bad call breaks", () => {
  const text = run("admin.js");
  assert.match(text, /^import bob ok$/m);
  assert.match(text, /^check bob CheckResult_Type_AWithB$/m);
  assert.match(text, /^check mallory CheckResult_Type_NoRelation$/m);
  assert.match(text, /^friends 3$/m);
  assert.match(text, /^blocked BlackCheckResult_Type_AWithB$/m);
  assert.match(text, /^refused before sending: To_Account$/m);
});

test("import-resume.ts: a stopped run resumes from its journal to every item ok", () => {
  const text = run("import-resume.js");
  assert.match(text, /^first run stopped: true ok: \d+$/m);
  assert.match(text, /^resumed: ok 50 failed 0 of 50$/m);
});

test("webhook-server.ts: the emulator's signed callback reaches the node:http handler; the fetch handler answers", () => {
  const text = run("webhook-server.js");
  assert.match(text, /^friends added: .*alice->bob/m);
  assert.match(text, /^fetch handler: 200 .*"ActionStatus":"OK"/m);
});

test("migrate.ts: export, restore into an empty app, and no difference left", () => {
  const text = run("migrate.js");
  assert.match(text, /^restored: \{ lists: 0, blocks: 1, friends: 1, updates: 0 \} failed: 0$/m);
  for (const user of ["alice", "bob"]) {
    const line = text.split("\n").find((l) => l.startsWith(`diff ${user} `));
    const diff = JSON.parse(line.slice(`diff ${user} `.length));
    for (const [key, list] of Object.entries(diff)) if (Array.isArray(list)) assert.deepEqual(list, [], `${user}: ${key}`);
  }
});
