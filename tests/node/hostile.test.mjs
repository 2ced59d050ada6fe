// 21 000 addFriends items through a hostile proxy in front of `tim-sns emulator`: about 15% of
// calls are reset before the reply (some before the emulator saw them, most after it applied
// them), cut halfway through the body, held past the client's timeout, or answered with a
// truncated 200. The worker is killed with SIGKILL three times and resumed from its journal.
// The emulator accepts every item, so the finished report must say `ok` for every one of them
// (no `failed`, no `unknown`), each exactly once, and the emulator must have applied each item
// exactly once (the proxy reads every reply the emulator gives).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../node_modules/.bin/tim-sns", import.meta.url));
const WORKER = fileURLToPath(new URL("./hostile-worker.mjs", import.meta.url));
const KEY = "hostile-proxy-key";
const USERS = 21, PER_USER = 1000, TOTAL = USERS * PER_USER;

let emulator, upstream, proxy, base;
const applied = new Map(); // "user>target" -> times the emulator answered 0 for it
const faults = { resetBefore: 0, resetAfter: 0, cut: 0, held: 0, truncated: 0 };
let seed = 20261207;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

before(async () => {
  const names = [...Array.from({ length: USERS }, (_, u) => `user${u}`), ...Array.from({ length: PER_USER }, (_, i) => `target${i}`)];
  emulator = spawn(BIN, ["emulator", "--port", "0", "--key", KEY, "--users", names.join(","), "--quiet"], { stdio: ["ignore", "pipe", "inherit"] });
  upstream = await new Promise((ok) => emulator.stdout.on("data", (c) => { const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(String(c)); if (m) ok(m[1]); }));
  const agent = new http.Agent({ keepAlive: true });
  const held = new Set();
  proxy = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const roll = rand();
      // Reset before the emulator sees it: nothing applied.
      if (roll < 0.03) { faults.resetBefore++; return req.socket.destroy(); }
      const out = http.request(`${upstream}${req.url}`, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": body.length } }, (up) => {
        const parts = [];
        up.on("data", (c) => parts.push(c));
        up.on("end", () => {
          const text = Buffer.concat(parts);
          const reply = JSON.parse(text.toString());
          if (req.url.includes("/friend_add")) {
            const from = JSON.parse(body.toString()).From_Account;
            for (const r of reply.ResultItem ?? []) if (r.ResultCode === 0) applied.set(`${from}>${r.To_Account}`, (applied.get(`${from}>${r.To_Account}`) ?? 0) + 1);
          }
          if (roll < 0.07) { faults.resetAfter++; return req.socket.destroy(); }
          if (roll < 0.10) {
            faults.cut++;
            res.writeHead(200, { "content-type": "application/json", "content-length": text.length });
            res.write(text.subarray(0, text.length >> 1));
            return setImmediate(() => res.socket?.destroy());
          }
          if (roll < 0.12) { faults.held++; held.add(res); return; } // past the client's timeout
          if (roll < 0.15) {
            faults.truncated++;
            const cut = text.subarray(0, Math.max(1, text.length - 7));
            return res.writeHead(200, { "content-type": "application/json", "content-length": cut.length }).end(cut);
          }
          res.writeHead(up.statusCode, { "content-type": "application/json", "content-length": text.length }).end(text);
        });
      });
      out.on("error", () => req.socket.destroy());
      out.end(body);
    });
  });
  proxy.on("close", () => { for (const r of held) r.socket?.destroy(); });
  await new Promise((ok) => proxy.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${proxy.address().port}`;
});

after(async () => {
  proxy.closeAllConnections();
  await new Promise((ok) => proxy.close(ok));
  emulator.kill();
});

/** Lines of the journal that record an outcome. */
const doneLines = (journal) => (existsSync(journal) ? readFileSync(journal, "utf8").match(/"done"/g)?.length ?? 0 : 0);

/** Starts the worker; resolves with its exit once it ends (by itself or by the kill). */
function worker(journal) {
  const child = spawn(process.execPath, [WORKER, base, journal, String(USERS), String(PER_USER), KEY], { stdio: ["ignore", "inherit", "inherit"] });
  const exited = new Promise((ok) => child.on("exit", (code, signal) => ok({ code, signal })));
  return { child, exited };
}

test("21 000 addFriends through a hostile proxy, killed three times and resumed: every item ok, applied once", { timeout: 300_000 }, async () => {
  const journal = join(mkdtempSync(join(tmpdir(), "tim-sns-hostile-")), "add.journal");
  // Killed when the journal holds these many outcomes: early, mid-run and late.
  for (const at of [0.2, 0.45, 0.7].map((f) => Math.floor(f * TOTAL))) {
    const { child, exited } = worker(journal);
    const reached = await new Promise((ok) => {
      const timer = setInterval(() => {
        if (doneLines(journal) >= at) { clearInterval(timer); ok(true); }
      }, 10);
      exited.then(() => { clearInterval(timer); ok(false); });
    });
    assert.ok(reached, `the worker ended before ${at} outcomes were recorded`);
    child.kill("SIGKILL");
    assert.equal((await exited).signal, "SIGKILL");
  }
  const last = worker(journal);
  assert.deepEqual(await last.exited, { code: 0, signal: null });
  const report = JSON.parse(readFileSync(`${journal}.report.json`, "utf8"));

  assert.equal(report.items.length, TOTAL);
  assert.deepEqual(report.items.map((i) => i.index), Array.from({ length: TOTAL }, (_, i) => i), "one report per item, in order");
  const notOk = report.items.filter((i) => i.outcome !== "ok");
  assert.deepEqual(notOk.slice(0, 5), [], `${notOk.length} items not ok`);
  assert.deepEqual([report.ok, report.failed, report.unknown, report.already], [TOTAL, 0, 0, 0]);
  assert.ok(report.reconciled > 0, "lost replies after the write were reconciled");
  // Applied exactly once each: never lost, never doubled.
  assert.equal(applied.size, TOTAL, "every item applied");
  assert.ok([...applied.values()].every((n) => n === 1), "an item was applied twice");
  for (const [name, n] of Object.entries(faults)) assert.ok(n > 0, `no ${name} fault was injected`);
});
