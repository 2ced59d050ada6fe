// Progress without screenshots: on a terminal (a pty from util-linux `script`) the bar is redrawn
// at most about 10 times a second however fast the calls go, and fits the terminal's width; piped,
// the command writes plain lines, at most one per tenth of the work plus where it stopped.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, clientFor, envFor, importAccounts, run, startEmulator, tempDir } from "./helpers.mjs";

const USERS = Array.from({ length: 300 }, (_, i) => `p${String(i).padStart(3, "0")}`);
const dir = tempDir("progress");
let emu;
before(async () => {
  emu = await startEmulator();
  await importAccounts(clientFor(emu.base), USERS);
});
after(() => emu?.stop());

/** A pairs file of one item per user: one call each, so progress moves once per call. */
function pairs(name) {
  const file = join(dir, name);
  writeFileSync(file, "From_Account,To_Account\n" + USERS.map((u, i) => `${u},${USERS[(i + 1) % USERS.length]}`).join("\n") + "\n");
  return file;
}
const calls = () => emu.log.filter((l) => l.includes("/friend_import?")).length;

test("on a terminal: at most ~10 redraws a second, each within the terminal's 60 columns", async () => {
  const file = pairs("tty.csv");
  const before = calls();
  const started = Date.now();
  // `stty cols 60` sets the pty's width before the command starts.
  const command = `stty cols 60; exec "${BIN}" import-friends --file "${file}" --concurrency 1`;
  const child = spawn("script", ["-q", "-e", "-c", command, "/dev/null"], { env: envFor(emu.base), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (c) => (out += c));
  const code = await new Promise((ok) => child.on("exit", ok));
  const seconds = (Date.now() - started) / 1000;
  assert.equal(code, 0, out);
  const sent = calls() - before;
  assert.equal(sent, 300);
  // Each redraw moves the cursor to column 1 (ESC [ 1 G) and writes the bar.
  const draws = out.split("\x1b[1G").slice(1).map((d) => d.replace(/\x1b(\[[0-9;?]*[A-Za-z]|[78])/g, "").split(/\r?\n/)[0]);
  assert.ok(draws.length >= 2, `the bar was drawn: ${JSON.stringify(out.slice(0, 200))}`);
  assert.ok(draws.length < sent, `fewer redraws (${draws.length}) than progress updates (${sent})`);
  assert.ok(draws.length <= Math.ceil(seconds * 10) + 3, `${draws.length} redraws in ${seconds} s`);
  for (const d of draws) assert.ok(d.length <= 60, `a redraw wider than the terminal: ${JSON.stringify(d)}`);
  assert.match(draws.at(-1), /^import-friends \[=+\] 300\/300 items \| 0 failed, [\d.]+/);
});

test("piped: plain lines, one per tenth of the work, no terminal codes", async () => {
  const file = pairs("piped.csv");
  const r = await run(["import-friends", "--file", file, "--concurrency", "1"], envFor(emu.base));
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /\x1b/);
  const lines = r.stderr.trim().split("\n");
  assert.ok(lines.length >= 2 && lines.length <= 11, r.stderr);
  for (const l of lines) assert.match(l, /^import-friends: \d+\/300 items, \d+ failed, [\d.]+ calls\/s, ETA (\?|\d+(s|m\d\ds))$/);
  assert.match(lines.at(-1), /^import-friends: 300\/300 items/);
});
