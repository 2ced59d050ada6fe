// The tim-sns command, driven as a user would: exit codes, output, the emulator over real
// loopback HTTP (reached by plain fetch and by other commands), and the import progress path
// without a terminal.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { genUserSig } from "tim-sns";

const BIN = fileURLToPath(new URL("../../node_modules/.bin/tim-sns", import.meta.url));
const KEY = "cli-test-key";
const run = (args, env = {}) => spawnSync(BIN, args, { encoding: "utf8", env: { ...process.env, ...env } });
let server, base;
const log = [];

before(async () => {
  server = spawn(BIN, ["emulator", "--port", "0", "--key", KEY, "--users", "alice,bob,carol"], { stdio: ["ignore", "pipe", "pipe"] });
  base = await new Promise((ok, fail) => {
    server.stdout.setEncoding("utf8");
    server.stdout.on("data", (chunk) => {
      log.push(...chunk.split("\n").filter(Boolean));
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(chunk);
      if (m) ok(m[1]);
    });
    server.on("exit", (code) => fail(new Error(`emulator exited with ${code}`)));
  });
});
after(() => server?.kill());

const env = () => ({ TIM_SDKAPPID: "1400000000", TIM_IDENTIFIER: "administrator", TIM_SECRET_KEY: KEY, TIM_BASE_URL: base });

test("--help everywhere, and a clear exit code for an unknown command", () => {
  for (const args of [["--help"], ["emulator", "--help"], ["page", "--help"], ["usersig", "--help"], ["call", "--help"], ["import-friends", "--help"], ["add-friends", "--help"], ["delete-friends", "--help"], ["block", "--help"], ["unblock", "--help"], ["export", "--help"], ["webhook", "--help"]]) {
    const r = run(args);
    assert.equal(r.status, 0, args.join(" "));
    assert.match(r.stdout, /Usage/);
  }
  const bad = run(["frobnicate"]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown command "frobnicate"/);
});

test("usersig gen, decode and verify", () => {
  const gen = run(["usersig", "gen", "--sdkappid", "1400000000", "--identifier", "administrator", "--expire", "3600"], { TIM_SECRET_KEY: KEY });
  assert.equal(gen.status, 0, gen.stderr);
  const sig = gen.stdout.trim();
  const decoded = JSON.parse(run(["usersig", "decode", sig]).stdout);
  assert.deepEqual([decoded.identifier, decoded.expire], ["administrator", 3600]);
  const ok = run(["usersig", "verify", sig, "--sdkappid", "1400000000", "--identifier", "administrator"], { TIM_SECRET_KEY: KEY });
  assert.equal(ok.status, 0);
  const bad = run(["usersig", "verify", sig, "--sdkappid", "1400000000", "--key", "wrong"]);
  assert.equal(bad.status, 1);
  assert.equal(JSON.parse(bad.stdout).reason, "bad-signature");
  const invalid = run(["usersig", "gen", "--sdkappid=-1", "--identifier="], { TIM_SECRET_KEY: KEY });
  assert.equal(invalid.status, 2);
  assert.match(invalid.stderr, /^tim-sns: sdkAppId: .*; identifier: [^\n]*\n$/, "every violation, on one line");
});

test("a plain HTTP client gets correct replies from tim-sns emulator, CORS included", async () => {
  const sig = genUserSig({ sdkAppId: 1400000000, secretKey: KEY, identifier: "administrator" });
  const url = `${base}/v4/sns/friend_import?sdkappid=1400000000&identifier=administrator&usersig=${sig}&random=7&contenttype=json`;
  const reply = await fetch(url, { method: "POST", body: JSON.stringify({ From_Account: "alice", AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Import" }] }) });
  assert.equal(reply.status, 200);
  assert.equal(reply.headers.get("access-control-allow-origin"), "*");
  const body = await reply.json();
  assert.deepEqual([body.ActionStatus, body.ResultItem[0].ResultCode], ["OK", 0]);
  const preflight = await fetch(url, { method: "OPTIONS", headers: { origin: "http://example.test", "access-control-request-method": "POST" } });
  assert.equal(preflight.status, 204);
  assert.match(preflight.headers.get("access-control-allow-methods"), /POST/);
  // The emulator logs a request once it has answered it.
  while (!log.some((l) => l.includes("friend_import"))) await new Promise((ok) => setTimeout(ok, 10));
  const line = log.find((l) => l.includes("friend_import"));
  assert.ok(line && line.includes("usersig=REDACTED") && !line.includes(sig), line);
  const forged = await (await fetch(url.replace(sig, genUserSig({ sdkAppId: 1400000000, secretKey: "x", identifier: "administrator" })), { method: "POST", body: "{}" })).json();
  assert.equal(forged.ErrorCode, 70009);
});

test("call reads its configuration from the environment", () => {
  const r = run(["call", "friend_check", "--body", '{"From_Account":"alice","To_Account":["bob"],"CheckType":"CheckResult_Type_Single"}'], env());
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).InfoItem[0].Relation, "CheckResult_Type_AWithB");
  // The old name of --body still works, with a note.
  const old = run(["call", "friend_check", "--json", '{"From_Account":"alice","To_Account":["bob"],"CheckType":"CheckResult_Type_Single"}'], env());
  assert.equal(old.status, 0, old.stderr);
  assert.match(old.stderr, /--json BODY is deprecated: give the request body with --body BODY/);
  assert.equal(JSON.parse(old.stdout).InfoItem[0].Relation, "CheckResult_Type_AWithB");
  const bad = run(["call", "friend_check", "--body", '{"From_Account":"alice"}'], env());
  assert.equal(bad.status, 4);
  assert.match(bad.stderr, /To_Account: To_Account is required/);
  const noConfig = run(["call", "friend_get", "--body", "{}"], { TIM_SDKAPPID: "", TIM_BASE_URL: "", TIM_SECRET_KEY: "" });
  assert.equal(noConfig.status, 3);
});

test("import-friends shows progress without a terminal, summarises and writes failed items to feed back in", () => {
  const dir = mkdtempSync(join(tmpdir(), "tim-sns-cli-"));
  const csv = join(dir, "friends.csv");
  writeFileSync(csv, "To_Account,Remark\nalice,Alice\ncarol\nnobody\n");
  const r = run(["import-friends", "--from", "bob", "--file", csv], env());
  assert.equal(r.status, 1, "one item failed");
  assert.match(r.stderr, /^import-friends: 3\/3 items, 1 failed, [\d.]+ calls\/s, ETA 0s$/m);
  assert.match(r.stdout, /imported 2 of 3 friends for 1 user: 0 already so, 0 pending, 1 failed/);
  const failedFile = `${csv}.failed.jsonl`;
  assert.ok(existsSync(failedFile));
  assert.deepEqual(readFileSync(failedFile, "utf8").trim().split("\n").map((l) => JSON.parse(l)), [{ From_Account: "bob", AddSource: "AddSource_Type_Import", To_Account: "nobody" }]);
  // nobody is not an account: fed back in, it fails again.
  const again = run(["import-friends", "--from", "bob", "--file", failedFile, "--failed", join(dir, "again.jsonl")], env());
  assert.equal(again.status, 1);
  assert.match(again.stdout, /imported 0 of 1/);
});
