// --json on the commands: machine-readable stdout (the emulator's log, usersig, export, restore,
// diff), and the long migration commands' plain progress lines with calls a second when piped.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { APP, KEY, clientFor, envFor, importAccounts, run, startEmulator, tempDir, waitFor } from "./helpers.mjs";

const dir = tempDir("json");
let emu, env;
before(async () => {
  emu = await startEmulator(["--json"]);
  env = envFor(emu.base);
  await importAccounts(clientFor(emu.base), ["ja", "jb", "jc"]);
  await clientFor(emu.base).importFriends({ From_Account: "ja", items: [{ To_Account: "jb", AddSource: "AddSource_Type_Import", Remark: "朋友" }] });
});
after(() => emu?.stop());

test("emulator --json: a listening object, then one object per request with the usersig redacted", async () => {
  // The emulator logs a request once it has answered it.
  await waitFor(() => emu.log.some((l) => l.includes("/friend_import?")));
  const [first, ...rest] = emu.log.map((l) => JSON.parse(l));
  assert.equal(first.listening, emu.base);
  assert.equal(first.sdkAppId, APP);
  const request = rest.find((r) => r.url?.includes("/friend_import?"));
  assert.ok(request, emu.log.join("\n"));
  assert.match(request.url, /usersig=REDACTED/);
  assert.deepEqual([request.method, request.status, request.errorCode], ["POST", 200, 0]);
});

test("usersig --json: one JSON line", async () => {
  const gen = await run(["usersig", "gen", "--sdkappid", String(APP), "--identifier", "administrator", "--json"], { ...process.env, TIM_SECRET_KEY: KEY });
  assert.equal(gen.code, 0, gen.stderr);
  const { usersig } = JSON.parse(gen.stdout);
  const decoded = await run(["usersig", "decode", usersig, "--json"]);
  assert.equal(decoded.stdout.trim().split("\n").length, 1);
  assert.equal(JSON.parse(decoded.stdout).identifier, "administrator");
});

test("export, restore --dry-run and diff with --json; piped progress lines with calls a second", async () => {
  const users = join(dir, "users.txt");
  // A byte-order mark and CRLF, as Notepad writes: the shared reader takes both.
  writeFileSync(users, "\uFEFFja\r\njb\r\njc\r\n");
  const out = join(dir, "snap.jsonl");
  const exp = await run(["export", "--users", users, "--out", out, "--json"], env);
  assert.equal(exp.code, 0, exp.stderr);
  assert.deepEqual(JSON.parse(exp.stdout), { command: "export", users: 3, failed: 0, friends: 1, out });
  assert.match(exp.stderr, /^export: 3\/3 users, 0 failed, [\d.]+ calls\/s, ETA 0s$/m);
  const dry = await run(["restore", out, "--dry-run", "--json"], env);
  assert.equal(dry.code, 0, dry.stderr);
  const plan = JSON.parse(dry.stdout);
  assert.deepEqual([plan.command, plan.dryRun, plan.users, plan.changedUsers], ["restore", true, 3, 0]);
  const diff = await run(["diff", out, "--json"], env);
  assert.equal(diff.code, 0, diff.stderr);
  assert.equal(diff.stdout, "", "no user differs: no line");
  await clientFor(emu.base).request("friend_delete", { From_Account: "ja", To_Account: ["jb"], DeleteType: "Delete_Type_Single" });
  const differs = await run(["diff", out, "--json"], env);
  assert.equal(differs.code, 1);
  const line = JSON.parse(differs.stdout);
  assert.equal(line.From_Account, "ja");
  assert.equal(line.missingFriends.length, 1);
});
