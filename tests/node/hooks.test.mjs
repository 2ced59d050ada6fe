// Hooks never break a call or the process: a hook that throws or rejects is reported once (to
// onHookError, else one console.warn line), and a bulk run whose journal or rateLimiter fails
// stops cleanly with a BulkError. Against a local stub server on 127.0.0.1.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SnsClient, isBulkError, isHttpError } from "tim-sns";

const OK = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" };
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
let server, base;
let requests = 0;
let sentAfterFailure = 0; // requests that reached the stub after a journal or limiter failed
let failed = false;

before(async () => {
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (c) => (text += c));
    req.on("end", () => {
      requests++;
      if (failed) sentAfterFailure++;
      const body = JSON.parse(text);
      if (body.From_Account === "broken") {
        res.writeHead(500, { "content-type": "application/json" });
        return res.end("{}");
      }
      const ResultItem = (body.AddFriendItem ?? []).map((it) => ({ To_Account: it.To_Account, ResultCode: 0, ResultInfo: "" }));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ...OK, ResultItem }));
    });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }));

const options = (extra = {}) => ({ sdkAppId: 1400000000, identifier: "administrator", secretKey: "hooks-test-key", baseUrl: base, retries: 0, ...extra });
const client = (extra) => new SnsClient(options(extra));
const reset = () => { requests = 0; sentAfterFailure = 0; failed = false; };
// Three users of two items each; with concurrency 1 their calls go out one after another.
const users = ["u0", "u1", "u2"].map((u) => ({ From_Account: u, items: [`${u}-a`, `${u}-b`].map((To_Account) => ({ To_Account, AddSource: "AddSource_Type_Test" })) }));

/** Resolves once `cond()` holds, checking after each turn of the event loop (bounded by turns, not time). */
async function until(cond, turns = 1000) {
  for (let i = 0; i < turns && !cond(); i++) await new Promise((ok) => setImmediate(ok));
  assert.ok(cond(), "condition never held");
}

/** Runs `script` (an ES module importing "tim-sns") in a child Node; its exit code, stdout, stderr. */
function child(script) {
  return new Promise((ok, fail) => {
    const p = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, env: { ...process.env, BASE: base } });
    let stdout = "", stderr = "";
    p.stdout.on("data", (c) => (stdout += c));
    p.stderr.on("data", (c) => (stderr += c));
    p.on("error", fail);
    p.on("close", (code) => ok({ code, stdout, stderr }));
  });
}

test("hooks that throw or reject do not break the calls or exit the process: one warning each", async () => {
  const script = `
    import { SnsClient } from "tim-sns";
    const base = { sdkAppId: 1400000000, identifier: "administrator", secretKey: "hooks-test-key", baseUrl: process.env.BASE, retries: 0 };
    const done = [];
    const a = new SnsClient({ ...base, async onResponse() { throw new Error("response boom"); } });
    done.push(Object.hasOwn(await a.friendGet({ From_Account: "a", StartIndex: 0 }), "meta"));
    const b = new SnsClient({ ...base, onRequest: () => Promise.reject(new Error("request boom")) });
    done.push(Object.hasOwn(await b.friendGet({ From_Account: "b", StartIndex: 0 }), "meta"));
    const c = new SnsClient({ ...base, onError() { throw new Error("error boom"); } });
    done.push(await c.friendGet({ From_Account: "broken", StartIndex: 0 }).then(() => false, (e) => e.name === "HttpError"));
    const d = new SnsClient(base);
    const report = await d.importFriends({ From_Account: "d", items: [{ To_Account: "x", AddSource: "AddSource_Type_Test" }] }, { onProgress: async () => { throw new Error("progress boom"); } });
    done.push(report.ok === 1);
    const e = new SnsClient({ ...base, onResponse() { throw new Error("twice boom"); }, onHookError: async () => { throw new Error("reporter boom"); } });
    done.push(Object.hasOwn(await e.friendGet({ From_Account: "e", StartIndex: 0 }), "meta"));
    // A rejection nobody handles would surface at the end of this turn; outlive it.
    await new Promise((ok) => setImmediate(ok));
    console.log(JSON.stringify(done));
  `;
  const { code, stdout, stderr } = await child(script);
  assert.equal(code, 0, stderr);
  assert.deepEqual(JSON.parse(stdout), [true, true, true, true, true]);
  const lines = stderr.split("\n").filter(Boolean);
  const once = (text) => assert.equal(lines.filter((l) => l.includes(text)).length, 1, `${text} in:\n${stderr}`);
  once("tim-sns: the onResponse hook failed (friend_get): response boom");
  once("tim-sns: the onRequest hook failed (friend_get): request boom");
  once("tim-sns: the onError hook failed (friend_get): error boom");
  once("tim-sns: the onProgress hook failed (friend_import): progress boom");
  once("tim-sns: onHookError failed while reporting a failed onResponse hook (friend_get): reporter boom");
  assert.equal(lines.length, 5, stderr);
});

test("onHookError receives the hook, the error and the command, once per failure", async () => {
  const seen = [];
  const boom = (what) => new Error(what);
  const c = client({
    onRequest() { throw boom("sync"); },
    onResponse: async () => { throw boom("async"); },
    // A thenable that is not a Promise is caught too.
    onError: () => ({ then: (_, reject) => reject(boom("thenable")) }),
    onHookError: (event) => seen.push(event),
  });
  await c.friendGet({ From_Account: "a", StartIndex: 0 });
  await assert.rejects(c.friendGet({ From_Account: "broken", StartIndex: 0 }), isHttpError);
  await c.importFriends({ From_Account: "a", items: [{ To_Account: "x", AddSource: "AddSource_Type_Test" }] }, { onProgress: () => Promise.reject(boom("progress")) });
  await until(() => seen.length >= 8);
  const summary = seen.map((e) => `${e.hook}:${e.command}:${e.error.message}`).sort();
  // friend_get twice (request, response), the failing one's error; importFriends' one call and its progress.
  assert.deepEqual(summary, [
    "onError:friend_get:thenable",
    "onProgress:friend_import:progress",
    "onRequest:friend_get:sync", "onRequest:friend_get:sync", "onRequest:friend_import:sync",
    "onResponse:friend_get:async", "onResponse:friend_get:async", "onResponse:friend_import:async",
  ]);
  assert.ok(seen.every((e) => e.error instanceof Error));
});

test("a journal whose append rejects stops the run: nothing is sent after it, and the error keeps the report", async () => {
  reset();
  let appends = 0;
  const journal = {
    read: () => "",
    // The first call's `sent` line is written; its `done` lines are not.
    append: async () => {
      if (++appends === 2) { failed = true; throw new Error("disk full"); }
    },
  };
  const e = await client().importFriends(users, { journal, concurrency: 1 }).then(() => assert.fail("the run must reject"), (e) => e);
  assert.ok(isBulkError(e), String(e));
  assert.equal(e.reason, "journal");
  assert.match(e.message, /the journal's append\(\) failed: disk full/);
  assert.equal(e.cause.message, "disk full");
  assert.equal(requests, 1);
  assert.equal(sentAfterFailure, 0);
  assert.equal(appends, 2, "a failed journal is not written to again");
  const r = e.report;
  assert.equal(r.stopped, true);
  assert.deepEqual([r.total, r.ok, r.failed], [6, 2, 4]);
  assert.deepEqual(r.items.map((i) => i.outcome), ["ok", "ok", "failed", "failed", "failed", "failed"]);
  assert.ok(r.items.slice(2).every((i) => i.info === "not finished: the run was stopped" && i.attempts === 0));
});

test("a journal whose append throws before the first call: nothing is sent at all", async () => {
  reset();
  const journal = { read: async () => "", append() { failed = true; throw new Error("read-only"); } };
  const e = await client().importFriends(users, { journal }).then(() => assert.fail("the run must reject"), (e) => e);
  assert.ok(isBulkError(e));
  assert.match(e.message, /journal's append\(\) failed: read-only/);
  assert.equal(requests, 0);
  assert.equal(e.report.failed, 6);
});

test("a rateLimiter whose acquire rejects lets nothing through", async () => {
  reset();
  let acquires = 0;
  const rateLimiter = {
    acquire: async (command) => {
      assert.equal(command, "friend_import");
      if (++acquires === 2) { failed = true; throw new Error("limiter down"); }
    },
  };
  const e = await client().importFriends(users, { rateLimiter, concurrency: 1 }).then(() => assert.fail("the run must reject"), (e) => e);
  assert.ok(isBulkError(e));
  assert.equal(e.reason, "rateLimiter");
  assert.match(e.message, /rateLimiter\.acquire\("friend_import"\) failed: limiter down/);
  assert.equal(requests, 1);
  assert.equal(sentAfterFailure, 0);
  assert.deepEqual([e.report.ok, e.report.failed, e.report.stopped], [2, 4, true]);

  // A synchronous throw, with several calls waiting on the limiter at once.
  reset();
  const throwing = { acquire() { failed = true; throw new Error("no redis"); } };
  const e2 = await client().importFriends(users, { rateLimiter: throwing }).then(() => assert.fail("the run must reject"), (e) => e);
  assert.match(e2.message, /no redis/);
  assert.equal(requests, 0);
  assert.ok(e2.report.items.every((i) => i.outcome === "failed" && i.attempts === 0));
});
