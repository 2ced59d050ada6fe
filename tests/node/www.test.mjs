// The debugging page's plain modules, outside the browser: the TypeScript types it shows are
// found for every command in the built web.d.ts, and each sample body is the documented one
// and passes validation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { validate } from "tim-sns";
import { parseDeclarations, typeOf } from "../../www/types.js";
import { SAMPLES } from "../../www/samples.js";

const COMMANDS = [
  "friend_add", "friend_import", "friend_update", "friend_delete", "friend_delete_all",
  "friend_check", "friend_get", "friend_get_list",
  "black_list_add", "black_list_delete", "black_list_get", "black_list_check",
  "group_add", "group_delete", "group_get",
];

// The file the page fetches: the browser build's declarations beside web.js.
const dts = readFileSync(new URL("../../pkg/web.d.ts", import.meta.url), "utf8");
const declarations = parseDeclarations(dts);

test("every exported interface and type alias of web.d.ts is parsed, whole", () => {
  const names = [...dts.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]);
  assert.ok(names.length > 40, `only ${names.length} declarations`);
  assert.deepEqual([...declarations.keys()].sort(), [...new Set(names)].sort());
  for (const [name, { text }] of declarations) {
    const code = text.replace(/\/\*\*[\s\S]*?\*\//g, "");
    const opens = (code.match(/\{/g) ?? []).length;
    assert.equal(opens, (code.match(/\}/g) ?? []).length, `${name}: unbalanced braces`);
    assert.equal(code.match(/^export /gm).length, 1, `${name} swallowed another declaration`);
  }
});

test("each command has its request and response type, with every type they use", () => {
  for (const command of COMMANDS) {
    const request = typeOf(declarations, command, "request body");
    const response = typeOf(declarations, command, "response");
    assert.match(request?.name ?? "", /Request$/, `${command} request`);
    assert.match(response?.name ?? "", /Response$/, `${command} response`);
    // Every type the shown text names in code is declared in the shown text too.
    for (const shown of [request, response]) {
      const code = shown.text.replace(/\/\*\*[\s\S]*?\*\//g, "");
      for (const [, used] of code.matchAll(/\b([A-Z]\w*)\b/g)) {
        if (declarations.has(used)) assert.match(shown.text, new RegExp(`export (interface|type) ${used}\\b`), `${command}: ${used} missing`);
      }
    }
  }
  assert.equal(typeOf(declarations, "friend_add", "request body").name, "FriendAddRequest");
  assert.match(typeOf(declarations, "friend_add", "request body").text, /AddSource: `AddSource_Type_\$\{string\}`/);
  assert.equal(typeOf(declarations, "black_list_delete", "request body").name, "BlackListRequest");
  assert.match(typeOf(declarations, "friend_delete_all", "response").text, /export interface Envelope \{/);
  assert.equal(typeOf(declarations, "no_such_command", "response"), null);
});

test("each sample is the first documented request of its command and is valid", () => {
  assert.deepEqual(Object.keys(SAMPLES).sort(), [...COMMANDS].sort());
  for (const command of COMMANDS) {
    const dir = new URL(`../fixtures/${command}/`, import.meta.url);
    const first = readdirSync(dir).filter((f) => /^spec-.*-request\.json$/.test(f)).sort()[0];
    assert.deepEqual(SAMPLES[command], JSON.parse(readFileSync(new URL(first, dir), "utf8")), command);
    assert.deepEqual(validate(command, SAMPLES[command]), [], command);
  }
});
