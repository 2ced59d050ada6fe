// Every row of the exit-code table (bin/exit.mjs), produced by a real failure of its kind: one
// line on stderr ("tim-sns: ..." or, with --json, one JSON object), the documented code, no stack
// trace. docs/cli.md carries the same table.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BIN, envFor, run, startEmulator, tempDir, waitFor } from "./helpers.mjs";

// The command's modules are not an entry of the package's exports: import the installed file.
const { EXIT_CODES } = await import(new URL("../../node_modules/tim-sns/bin/exit.mjs", import.meta.url).href);

const dir = tempDir("exit");
let emu, env;
before(async () => {
  emu = await startEmulator(["--quiet", "--users", "alice,bob"]);
  env = envFor(emu.base);
});
after(() => emu?.stop());

/** Asserts a one-line failure with `code`, and no stack trace. */
function oneLine(r, code, pattern) {
  assert.equal(r.code, code, `exit code (stderr: ${r.stderr})`);
  const lines = r.stderr.split("\n").filter((l) => l && !l.includes("deprecated") && !/^[\w-]+: \d+\/\d+ /.test(l));
  assert.equal(lines.length, 1, `one line: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
  assert.match(lines[0], pattern);
}

const csv = (name, text) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

/** A failure of each kind: the runs that must end with that row's code. */
const CASES = {
  ok: async () => {
    const r = await run(["--version"]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), JSON.parse(readFileSync(fileURLToPath(new URL("../../pkg-template/package.json", import.meta.url)), "utf8")).version);
    assert.deepEqual(JSON.parse((await run(["--version", "--json"])).stdout), { version: r.stdout.trim() });
  },
  failed: async () => {
    const r = await run(["import-friends", "--from", "alice", "--file", csv("one-bad.csv", "bob\nnobody\n")], env);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /1 failed/);
    oneLine(await run(["call", "friend_check", "--body", '{"From_Account":"nobody","To_Account":["bob"],"CheckType":"CheckResult_Type_Single"}'], env), 1, /^tim-sns: .*3000\d/);
  },
  usage: async () => {
    oneLine(await run(["frobnicate"]), 2, /^tim-sns: unknown command "frobnicate"/);
    oneLine(await run(["import-friends", "--file", "x.csv", "--concurrency", "8x"]), 2, /^tim-sns: --concurrency "8x": not a whole number$/);
    // The range is the client's rule, named by the flag.
    oneLine(await run(["import-friends", "--from", "alice", "--file", csv("range.csv", "bob\n"), "--concurrency", "0"], env), 2, /^tim-sns: --concurrency: --concurrency must be an integer from 1 to \d+, got 0$/);
    oneLine(await run(["emulator", "--sdkappid", "0"]), 2, /^tim-sns: --sdkappid: /);
    oneLine(await run(["emulator", "--sdkappid", "-5"]), 2, /^tim-sns: Option '--sdkappid' argument is ambiguous\. /);
    oneLine(await run(["delete-friends", "--file", "x.csv", "--delete-type", "sideways"]), 2, /^tim-sns: --delete-type "sideways": must be one of Delete_Type_Single, Delete_Type_Both$/);
    oneLine(await run(["emulator", "--port", "80000"]), 2, /^tim-sns: --port 80000: must be between 0 and 65535$/);
    oneLine(await run(["emulator", "--faults", "http502=lots"]), 2, /^tim-sns: --faults http502 "lots": not a number$/);
    oneLine(await run(["import-friends", "--file", "x.csv", "--encoding", "klingon"]), 2, /^tim-sns: --encoding "klingon": not an encoding/);
    oneLine(await run(["export", "--user", "a", "--out", join(dir, "s.jsonl"), "--concurrency", "lots"], env), 2, /^tim-sns: --concurrency "lots"/);
    oneLine(await run(["import-friends", "--bogus"]), 2, /^tim-sns: Unknown option '--bogus'/);
    const json = await run(["import-friends", "--file", "x.csv", "--concurrency", "8x", "--json"]);
    assert.equal(json.code, 2);
    assert.deepEqual(JSON.parse(json.stderr), { error: { kind: "usage", exitCode: 2, message: '--concurrency "8x": not a whole number' } });
  },
  config: async () => {
    const noConfig = { ...process.env, TIM_SDKAPPID: "", TIM_BASE_URL: "", TIM_REGION: "", TIM_SECRET_KEY: "", TIM_USERSIG: "" };
    oneLine(await run(["call", "friend_get", "--body", "{}"], noConfig), 3, /^tim-sns: bad configuration from the environment: TIM_SDKAPPID: .*; TIM_SECRET_KEY: .*; TIM_REGION: /);
  },
  input: async () => {
    oneLine(await run(["import-friends", "--from", "a", "--file", join(dir, "missing.csv")], env), 4, /^tim-sns: cannot read .*missing\.csv: no such file$/);
    oneLine(await run(["import-friends", "--from", "a", "--file", dir], env), 4, /^tim-sns: cannot read .*: is a directory$/);
    oneLine(await run(["import-friends", "--from", "a", "--file", csv("empty.csv", "\r\n\r\n")], env), 4, /^tim-sns: .*empty\.csv: no row to import$/);
    oneLine(await run(["call", "friend_get", "--file", csv("body.json", "{oops")], env), 4, /^tim-sns: .*body\.json: not JSON/);
    oneLine(await run(["restore", csv("snap.jsonl", '{"not":"a snapshot"}\n')], env), 4, /^tim-sns: /);
  },
  unreachable: async () => {
    const nowhere = { ...env, TIM_BASE_URL: "http://127.0.0.1:1" };
    oneLine(await run(["call", "friend_get", "--body", '{"From_Account":"alice","StartIndex":0}'], nowhere), 5, /^tim-sns: no reply: .*ECONNREFUSED/);
    // A bulk run retries, then reconciles, before it gives up on every item (some seconds).
    oneLine(await run(["import-friends", "--from", "alice", "--file", csv("nowhere.csv", "bob\n")], nowhere), 5, /^tim-sns: no reply from the service for any item \(.*ECONNREFUSED.*\): check TIM_BASE_URL/);
  },
  listen: async () => {
    const port = new URL(emu.base).port;
    for (const command of [["emulator"], ["webhook", "listen"]]) {
      oneLine(await run([...command, "--port", port]), 6, new RegExp(`^tim-sns: port ${port} on 127\\.0\\.0\\.1 is in use: choose another with --port N \\(--port 0 picks a free one\\)$`));
    }
  },
  internal: async () => {
    // Not reachable through a command (that would be the bug): the reporter itself, on an error that is not ours.
    const url = new URL("../../node_modules/tim-sns/bin/exit.mjs", import.meta.url).href;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", `import { exitWith } from ${JSON.stringify(url)}; exitWith(new TypeError("x is not a function"));`], { encoding: "utf8" });
    oneLine({ code: r.status, stderr: r.stderr }, 70, /^tim-sns: internal error: x is not a function$/);
  },
  interrupted: async () => {
    // End to end, with the run resumed afterwards: sigint.test.mjs. Here: the code and the lines.
    const slow = await startEmulator(["--quiet", "--latency-ms", "200", "--users", "alice,bob,carol,dave,erin,frank"]);
    try {
      const file = csv("interrupt.csv", "From_Account,To_Account\nalice,bob\nbob,carol\ncarol,dave\ndave,erin\nerin,frank\n");
      const child = spawn(BIN, ["import-friends", "--file", file, "--concurrency", "1"], { env: envFor(slow.base), stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "", stderr = "";
      child.stdout.on("data", (c) => (stdout += c));
      child.stderr.on("data", (c) => (stderr += c));
      const exited = new Promise((ok) => child.on("exit", ok));
      // Signal once the first call is on record in the journal (it is written before the call goes out).
      await waitFor(() => existsSync(`${file}.journal`) && readFileSync(`${file}.journal`, "utf8").length > 0);
      child.kill("SIGINT");
      assert.equal(await exited, 130, stderr + stdout);
      assert.match(stdout, /^stopped: \d of 5 items have their outcome in .*\nfinish with: tim-sns import-friends .* --resume\n$/);
      assert.doesNotMatch(stderr, /^\s+at /m);
    } finally {
      slow.stop();
    }
  },
};

test("the table has a case here for every row, and docs/cli.md lists the same codes", () => {
  assert.deepEqual(Object.keys(CASES).sort(), EXIT_CODES.map((r) => r.kind).sort());
  const docs = readFileSync(fileURLToPath(new URL("../../docs/cli.md", import.meta.url)), "utf8");
  const rows = [...docs.matchAll(/^\| (\d+) \| `(\w+)` \| (.+) \|$/gm)].map(([, code, kind, meaning]) => ({ code: Number(code), kind, meaning }));
  assert.deepEqual(rows, EXIT_CODES);
});

for (const { code, kind } of EXIT_CODES) test(`exit ${code} (${kind})`, CASES[kind]);
