// Ctrl-C in the middle of a many-user import, then the same command with --resume: the first run
// stops after its calls in flight with exit 130 and says how to finish; the second finishes
// without sending again what has an outcome, and the emulator ends with every relation once.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, clientFor, envFor, friendsOf, importAccounts, run, startEmulator, tempDir, waitFor } from "./helpers.mjs";

const USERS = Array.from({ length: 40 }, (_, i) => `s${String(i).padStart(2, "0")}`);
let emu;
before(async () => {
  // Slow enough (one call at a time, 50 ms each) that the signal lands mid-run.
  emu = await startEmulator(["--latency-ms", "50"]);
  await importAccounts(clientFor(emu.base), USERS);
});
after(() => emu?.stop());

/** Outcome lines ("done") in the journal. */
const outcomes = (journal) => (existsSync(journal) ? readFileSync(journal, "utf8").match(/"done"/g)?.length ?? 0 : 0);

test("SIGINT mid-run stops cleanly with 130; --resume finishes; the emulator holds every relation", async () => {
  const dir = tempDir("sigint");
  const file = join(dir, "pairs.csv");
  const rows = ["From_Account,To_Account,Remark"];
  for (const [i, u] of USERS.entries()) for (let k = 1; k <= 20; k++) rows.push(`${u},${USERS[(i + k) % USERS.length]},第${k}位`);
  writeFileSync(file, rows.join("\r\n"));
  const journal = `${file}.journal`;
  const env = envFor(emu.base);
  const args = ["import-friends", "--file", file, "--concurrency", "1"];

  const first = spawn(BIN, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  first.stdout.on("data", (c) => (out += c));
  const exited = new Promise((ok) => first.on("exit", ok));
  await waitFor(() => outcomes(journal) >= 100);
  first.kill("SIGINT");
  assert.equal(await exited, 130, out);
  const stopped = /stopped: (\d+) of 800 items/.exec(out);
  assert.ok(stopped && Number(stopped[1]) >= 100 && Number(stopped[1]) < 800, out);
  assert.match(out, /finish with: tim-sns import-friends --file .* --concurrency 1 --resume/);

  const requestsBefore = emu.log.filter((l) => l.includes("/friend_import?")).length;
  const second = await run([...args, "--resume"], env);
  assert.equal(second.code, 0, second.stderr + second.stdout);
  assert.match(second.stdout, /imported 800 of 800 friends for 40 users: 0 already so, 0 pending, 0 failed, 0 unknown/);
  // Only the users not finished were sent again: one friend_import per user of 20 items.
  const resent = emu.log.filter((l) => l.includes("/friend_import?")).length - requestsBefore;
  assert.equal(resent, 40 - Number(stopped[1]) / 20);
  const client = clientFor(emu.base);
  for (const [i, u] of USERS.entries()) {
    const friends = await friendsOf(client, u);
    assert.equal(Object.keys(friends).length, 20, u);
    assert.equal(friends[USERS[(i + 3) % USERS.length]].Tag_SNS_IM_Remark, "第3位");
  }
});
