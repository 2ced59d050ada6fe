// Bulk helpers against a local server that injects faults (502s, 30006, item 30008, hangs, and
// replies lost after the write was applied): every input item ends with exactly one outcome,
// nothing reported ok is missing, everything applied is reported ok, and one user's writes never
// overlap.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { SnsClient, isValidationError } from "tim-sns";

const OK = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" };
let server, base;
let faults = { http502: 0, request30006: 0, item30008: 0, lost: 0 };
let lostReplies = 0;
let seed = 1;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const inFlight = new Map(); // From_Account -> the attempts (x-attempt) being handled
const abandoned = new Set(); // attempts whose fetch the client aborted
let overlaps = 0;
let requests = 0;
const friends = new Set(); // "from>to" written by friend_import
const applied = new Map(); // "from>to" -> times the server applied it (must stay 1)

before(async () => {
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (c) => (text += c));
    req.on("end", () => {
      requests++;
      const body = JSON.parse(text);
      const from = body.From_Account;
      // A write is outstanding for the client until it is answered or the client gives up on it
      // (its timeout aborts the fetch): on a loaded machine a request can reach this handler
      // after the client's timeout, and the client's next write of that user is then rightly
      // under way. The client's fetch (below) tags each attempt and records the ones it aborted;
      // client and server share this process, so that record is complete whenever a request
      // arrives. One user never has two outstanding writes.
      const id = req.headers["x-attempt"];
      const mine = inFlight.get(from) ?? new Set();
      inFlight.set(from, mine);
      if ([...mine].some((other) => !abandoned.has(other))) overlaps++;
      mine.add(id);
      const release = () => mine.delete(id);
      const send = (status, payload) => setTimeout(() => {
        release();
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(payload));
      }, 1 + Math.floor(rand() * 3));
      const roll = rand();
      if (roll < faults.http502) return send(502, { error: "bad gateway" });
      if (roll < faults.http502 + faults.request30006) return send(200, { ActionStatus: "FAIL", ErrorCode: 30006, ErrorInfo: "internal" });
      if (req.url.includes("/friend_check")) {
        const InfoItem = body.To_Account.map((t) => ({ To_Account: t, ResultCode: 0,
          Relation: friends.has(`${from}>${t}`) ? "CheckResult_Type_AWithB" : "CheckResult_Type_NoRelation" }));
        return send(200, { ...OK, InfoItem });
      }
      const items = body.AddFriendItem ?? body.To_Account.map((t) => ({ To_Account: t }));
      const ResultItem = items.map((it) => {
        if (rand() < faults.item30008) return { To_Account: it.To_Account, ResultCode: 30008, ResultInfo: "write conflict" };
        if (it.To_Account.startsWith("pending")) return { To_Account: it.To_Account, ResultCode: 30539, ResultInfo: "" };
        const key = `${from}>${it.To_Account}`;
        if (friends.has(key)) return { To_Account: it.To_Account, ResultCode: 30001, ResultInfo: "已是好友 (already a friend) 🤝" };
        friends.add(key);
        applied.set(key, (applied.get(key) ?? 0) + 1);
        return { To_Account: it.To_Account, ResultCode: 0, ResultInfo: "" };
      });
      if (rand() < faults.lost) {
        // Applied; the connection drops before the reply.
        lostReplies++;
        release();
        return res.destroy();
      }
      const Fail_Account = ResultItem.filter((r) => r.ResultCode).map((r) => r.To_Account);
      send(200, { ...OK, ResultItem, ...(Fail_Account.length ? { Fail_Account } : {}) });
    });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }));

function client(fetchFaults = 0) {
  // Timeouts are injected on the client side: a fetch that never answers until aborted.
  let attempts = 0;
  const fetch = (url, init) => {
    const id = String(++attempts);
    init.signal?.addEventListener("abort", () => abandoned.add(id));
    return rand() < fetchFaults
      ? new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))))
      : globalThis.fetch(url, { ...init, headers: { ...init.headers, "x-attempt": id } });
  };
  return new SnsClient({
    sdkAppId: 1400000000, identifier: "administrator", secretKey: "bulk-key", baseUrl: base, fetch,
    // Generous: the server shares this process, so replies wait for the client CPU too.
    timeoutMs: 2000, retries: { retries: 4, baseMs: 1, maxMs: 5 }, rateLimitPerSecond: 1000,
  });
}

test("10 000 imports for 100 users with 10% injected faults, lost replies included: every item once and true", async () => {
  faults = { http502: 0.03, request30006: 0.02, item30008: 0.01, lost: 0.03 };
  overlaps = 0; requests = 0; lostReplies = 0; friends.clear(); applied.clear();
  const users = Array.from({ length: 100 }, (_, u) => ({
    From_Account: `user${u}`,
    items: Array.from({ length: 100 }, (_, i) => ({ To_Account: `friend${u}_${i}`, AddSource: "AddSource_Type_Import" })),
  }));
  const progress = [];
  const report = await client(0.02).importFriends(users, { onProgress: (p) => progress.push(p) });
  assert.equal(report.total, 10_000);
  assert.equal(report.items.length, 10_000);
  assert.deepEqual(report.items.map((i) => i.index), Array.from({ length: 10_000 }, (_, i) => i), "one report per input item, in order");
  assert.equal(report.ok + report.pending + report.failed + report.unknown, 10_000);
  for (const item of report.items) {
    const [u, i] = item.To_Account.replace("friend", "").split("_").map(Number);
    assert.equal(item.From_Account, `user${u}`);
    assert.equal(item.index, u * 100 + i);
    const key = `${item.From_Account}>${item.To_Account}`;
    if (item.outcome === "ok") assert.ok(friends.has(key), `${key} reported ok but absent`);
    if (friends.has(key)) assert.ok(item.outcome === "ok" || item.outcome === "unknown", `${key} applied but reported ${item.outcome}`);
    if (item.reconciled) assert.equal(item.code, 30001);
  }
  assert.ok([...applied.values()].every((n) => n === 1), "an item was applied twice");
  assert.ok(lostReplies > 0 && report.reconciled > 0, `lost replies (${lostReplies}) were reconciled (${report.reconciled})`);
  assert.equal(overlaps, 0, "two writes for one user overlapped");
  assert.ok(report.ok >= 9_900, `${report.ok} ok: retries should absorb almost every fault`);
  assert.ok(requests > 100, "faults forced retries");
  const last = progress.at(-1);
  assert.deepEqual([last.done, last.total, last.failed], [10_000, 10_000, report.failed]);
  assert.ok(last.calls >= requests - lostReplies && last.callsPerSecond > 0);
  assert.deepEqual(Object.keys(last), ["done", "total", "failed", "already", "calls", "inFlight", "window", "callsPerSecond", "etaSeconds"]);
  assert.equal(last.etaSeconds, 0, "nothing left at the end");
  assert.ok(progress.every((p) => Number.isInteger(p.inFlight) && p.window >= 1), "in flight and window are counts");
  assert.ok(progress.every((p, i) => i === 0 || p.done >= progress[i - 1].done), "progress only grows");
});

test("item failures, pending items and invalid items are each accounted for", async () => {
  faults = { http502: 0, request30006: 0, item30008: 0 };
  overlaps = 0;
  const report = await client().addFriends({
    From_Account: "alice",
    items: [
      { To_Account: "bob", AddSource: "AddSource_Type_Web" },
      { To_Account: "pendingcarol", AddSource: "AddSource_Type_Web" },
      { To_Account: "dave", AddSource: "not a source" },
    ],
  });
  assert.deepEqual(report.items.map((i) => [i.To_Account, i.outcome, i.code ?? null]), [
    ["bob", "ok", 0], ["pendingcarol", "pending", 30539], ["dave", "failed", null],
  ]);
  assert.match(report.items[2].info, /AddSource/);
  assert.deepEqual([report.ok, report.pending, report.failed], [1, 1, 1]);
});

test("report items carry every field exactly, in input order, across stretches and in any script", async () => {
  faults = { http502: 0, request30006: 0, item30008: 0 };
  // Enough items for the report to be handed over in stretches while the run waits. Accounts are
  // printable ASCII; the server's ResultInfo is not (CJK and an emoji outside the BMP).
  const users = ["stretch_a", "stretch_b", "stretch_c"];
  const targets = Array.from({ length: 700 }, (_, i) => (i % 7 === 3 ? `pending_${i}` : `t_${i}`));
  const input = users.map((u) => ({ From_Account: u, items: targets.map((t) => ({ To_Account: t, AddSource: "AddSource_Type_Web" })) }));
  input[1].items[5].AddSource = "wrong";
  const report = await client().addFriends(input);
  assert.equal(report.items.length, users.length * targets.length);
  report.items.forEach((item, i) => {
    assert.equal(item.index, i);
    assert.equal(item.From_Account, users[Math.floor(i / targets.length)]);
    assert.equal(item.To_Account, targets[i % targets.length]);
  });
  assert.deepEqual(report.items[0], { index: 0, From_Account: "stretch_a", To_Account: "t_0", outcome: "ok", code: 0, attempts: 1 });
  assert.deepEqual(Object.keys(report.items[3]), ["index", "From_Account", "To_Account", "outcome", "code", "attempts"]);
  assert.equal(report.items[3].outcome, "pending");
  const bad = report.items[705];
  assert.deepEqual(Object.keys(bad), ["index", "From_Account", "To_Account", "outcome", "info", "attempts"]);
  assert.equal(bad.outcome, "failed");
  assert.match(bad.info, /AddSource/);
  assert.deepEqual([report.total, report.ok, report.pending, report.failed], [2100, 1799, 300, 1]);
  assert.deepEqual(Object.keys(report), ["total", "ok", "pending", "already", "failed", "unknown", "reconciled", "stopped", "items"]);

  // Again for the first user: already friends (a friend_check confirms 30001), reported apart
  // from failures, with the server's text kept exactly.
  const again = await client().addFriends(input[0]);
  assert.deepEqual(again.items[699], { index: 699, From_Account: "stretch_a", To_Account: "t_699", outcome: "already", code: 30001, info: "已是好友 (already a friend) 🤝", attempts: 2 });
  assert.deepEqual([again.already, again.failed, again.pending], [600, 0, 100]);
  assert.ok(again.items.every((item, i) => item.To_Account === targets[i] && item.From_Account === "stretch_a"));

  const check = await client().checkFriends(users.map((u) => ({ From_Account: u, items: targets })));
  assert.deepEqual(check.items[1400], { index: 1400, From_Account: "stretch_c", To_Account: "t_0", outcome: "ok", code: 0, relation: "CheckResult_Type_AWithB", attempts: 1 });
  assert.equal(check.items[705].relation, "CheckResult_Type_NoRelation", "the refused item was not written");
  assert.ok(check.items.every((item, i) => item.index === i && typeof item.relation === "string"));
});

test("conflicted items are retried alone, then reported with their code", async () => {
  faults = { http502: 0, request30006: 0, item30008: 1 };
  const report = await client().blockUsers({ From_Account: "alice", items: ["m", "n"] }, { itemRetries: 2 });
  assert.deepEqual(report.items.map((i) => [i.outcome, i.code, i.attempts]), [["failed", 30008, 3], ["failed", 30008, 3]]);
  faults.item30008 = 0;
});

test("splits at the documented caps and rejects bad input", async () => {
  faults = { http502: 0, request30006: 0, item30008: 0 };
  requests = 0;
  const report = await client().deleteFriends({ From_Account: "alice", items: Array.from({ length: 2500 }, (_, i) => `t${i}`) });
  assert.equal(report.ok, 2500);
  assert.equal(requests, 3, "1000 + 1000 + 500");
  await assert.rejects(client().deleteFriends({ From: "alice" }), isValidationError);
  await assert.rejects(client().checkFriends({ From_Account: "a", items: ["b"] }, { concurrency: 0 }), isValidationError);
});
