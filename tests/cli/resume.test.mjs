// A 20 000-item `tim-sns import-friends` killed with SIGKILL in the middle, then run again with
// --resume: every item ends with exactly one outcome, none is sent again after the journal
// recorded its outcome, and the totals add up. The server is written here (not the emulator):
// it applies friend_import items, answers 30001 for items it already holds, answers friend_check,
// and logs every item it receives, per phase.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../node_modules/.bin/tim-sns", import.meta.url));
const N = 20_000;
const friends = new Set();
const received = [[], []]; // To_Account of every friend_import item, per phase
let phase = 0;
let server, base;
const open = new Set(); // the server's connections

before(async () => {
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (c) => (text += c));
    req.on("end", () => {
      const body = JSON.parse(text);
      const reply = (payload) => setTimeout(() => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", ...payload }));
      }, 150); // slow enough that the kill lands mid-run
      if (req.url.includes("/friend_check")) {
        return reply({ InfoItem: body.To_Account.map((t) => ({ To_Account: t, ResultCode: 0, Relation: friends.has(t) ? "CheckResult_Type_AWithB" : "CheckResult_Type_NoRelation" })) });
      }
      const ResultItem = body.AddFriendItem.map(({ To_Account }) => {
        received[phase].push(To_Account);
        if (friends.has(To_Account)) return { To_Account, ResultCode: 30001, ResultInfo: "already a friend" };
        friends.add(To_Account);
        return { To_Account, ResultCode: 0, ResultInfo: "" };
      });
      reply({ ResultItem });
    });
  });
  server.on("connection", (socket) => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }));

test("SIGKILL mid-run, then --resume: one outcome per item, nothing re-sent after its outcome", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tim-sns-resume-"));
  const file = join(dir, "friends.csv");
  writeFileSync(file, Array.from({ length: N }, (_, i) => `f${i}`).join("\n") + "\n");
  const journal = `${file}.journal`;
  const env = { ...process.env, TIM_SDKAPPID: "1400000000", TIM_IDENTIFIER: "administrator", TIM_SECRET_KEY: "resume-key", TIM_BASE_URL: base };
  const args = ["import-friends", "--from", "alice", "--file", file];

  const first = spawn(BIN, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  // Kill once some outcomes are on record, well before the 20 calls of 1000 are done.
  await new Promise((ok) => {
    const timer = setInterval(() => {
      const text = existsSync(journal) ? readFileSync(journal, "utf8") : "";
      if ((text.match(/"done"/g) ?? []).length >= 3000) {
        clearInterval(timer);
        first.kill("SIGKILL");
        ok();
      }
    }, 20);
  });
  await new Promise((ok) => first.on("exit", ok));
  const recorded = new Set();
  for (const line of readFileSync(journal, "utf8").split("\n")) {
    try { const v = JSON.parse(line); if (v.done) recorded.add(v.done.To_Account); } catch { /* a torn last line */ }
  }
  assert.ok(recorded.size >= 3000 && recorded.size < N, `${recorded.size} outcomes recorded before the kill`);

  // Without --resume the command refuses to start over the journal.
  const refused = spawnSync(BIN, args, { env, encoding: "utf8" });
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /--resume/);

  // The killed run's last calls land: its connections close once the server has read them.
  while (open.size > 0) await new Promise((ok) => setTimeout(ok, 10));
  phase = 1;
  const second = await new Promise((ok) => {
    const p = spawn(BIN, [...args, "--resume"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (c) => (out += c));
    p.on("exit", (code) => ok({ code, out }));
  });
  assert.equal(second.code, 0, second.out);
  assert.match(second.out, new RegExp(`imported ${N} of ${N} friends for 1 user: 0 already so, 0 pending, 0 failed, 0 unknown`));
  for (const t of received[1]) assert.ok(!recorded.has(t), `${t} sent again after its outcome was recorded`);

  // The journal now holds exactly one outcome per item.
  const outcomes = new Map();
  for (const line of readFileSync(journal, "utf8").split("\n")) {
    try { const v = JSON.parse(line); if (v.done) outcomes.set(v.done.index, (outcomes.get(v.done.index) ?? 0) + 1); } catch { /* torn */ }
  }
  assert.equal(outcomes.size, N);
  assert.ok([...outcomes.values()].every((n) => n === 1), "an item has two outcomes");
  assert.equal(friends.size, N);
});
