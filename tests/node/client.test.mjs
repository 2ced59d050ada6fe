// SnsClient against a local HTTP server on 127.0.0.1 that records requests and scripts replies.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import {
  SnsClient, regions, verifyUserSig, genUserSig, isApiError, isHttpError, isNetworkError, isTimeoutError, isAbortError,
  isValidationError, isDecodeError,
} from "tim-sns";

const SDKAPPID = 1400000000;
const KEY = "client-test-secret-key-0123456789abcdef";
const ADMIN = "administrator";
const OK = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" };

let server, base;
const seen = [];
let script = []; // replies to hand out in order; then the default
const defaultReply = (req) => ({ status: 200, body: { ...OK, ResultItem: [] } });

before(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const url = new URL(req.url, "http://x");
      const entry = { at: Date.now(), path: url.pathname, query: Object.fromEntries(url.searchParams), body, headers: req.headers };
      seen.push(entry);
      const reply = (script.length ? script.shift() : defaultReply)(entry);
      if (reply.hang) return; // never answer: the client's timeout must fire
      if (reply.drop) return res.destroy(); // handled, but the reply is lost on the way
      setTimeout(() => {
        res.writeHead(reply.status, { "content-type": "application/json" });
        res.end(typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body));
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }));

const client = (extra = {}) => new SnsClient({ sdkAppId: SDKAPPID, identifier: ADMIN, secretKey: KEY, baseUrl: base, ...extra });
const reset = (...replies) => { seen.length = 0; script = replies; };
const reply = (body, status = 200, extra = {}) => () => ({ status, body, ...extra });
const noSecrets = (text) => { assert.ok(!String(text).includes(KEY), "key leaked"); assert.ok(!/usersig=(?!REDACTED)/.test(String(text)), "usersig leaked"); };

test("each typed method posts its body to the right URL, signed for the admin", async () => {
  const calls = {
    friendAdd: ["friend_add", { From_Account: "alice", AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Web" }] }],
    friendImport: ["friend_import", { From_Account: "alice", AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Import" }] }],
    friendUpdate: ["friend_update", { From_Account: "alice", UpdateItem: [{ To_Account: "bob", SnsItem: [{ Tag: "Tag_SNS_IM_Remark", Value: "B" }] }] }],
    friendDelete: ["friend_delete", { From_Account: "alice", To_Account: ["bob"] }],
    friendDeleteAll: ["friend_delete_all", { From_Account: "alice" }],
    friendCheck: ["friend_check", { From_Account: "alice", To_Account: ["bob"], CheckType: "CheckResult_Type_Both" }],
    friendGet: ["friend_get", { From_Account: "alice", StartIndex: 0 }],
    friendGetList: ["friend_get_list", { From_Account: "alice", To_Account: ["bob"], TagList: ["Tag_SNS_IM_Remark"] }],
    blackListAdd: ["black_list_add", { From_Account: "alice", To_Account: ["bob"] }],
    blackListDelete: ["black_list_delete", { From_Account: "alice", To_Account: ["bob"] }],
    blackListGet: ["black_list_get", { From_Account: "alice", StartIndex: 0, MaxLimited: 10, LastSequence: 0 }],
    blackListCheck: ["black_list_check", { From_Account: "alice", To_Account: ["bob"], CheckType: "BlackCheckResult_Type_Both" }],
    groupAdd: ["group_add", { From_Account: "alice", GroupName: ["g"] }],
    groupDelete: ["group_delete", { From_Account: "alice", GroupName: ["g"] }],
    groupGet: ["group_get", { From_Account: "alice" }],
  };
  const c = client();
  for (const [method, [command, body]] of Object.entries(calls)) {
    reset();
    const r = await c[method](body);
    assert.equal(seen.length, 1, method);
    const { path, query, headers } = seen[0];
    assert.equal(path, `/v4/sns/${command}`);
    assert.deepEqual(Object.keys(query), ["sdkappid", "identifier", "usersig", "random", "contenttype"]);
    assert.deepEqual([query.sdkappid, query.identifier, query.contenttype], [String(SDKAPPID), ADMIN, "json"]);
    assert.equal(verifyUserSig(query.usersig, { sdkAppId: SDKAPPID, secretKey: KEY, identifier: ADMIN }).valid, true);
    assert.match(query.random, /^\d+$/);
    assert.ok(Number(query.random) <= 4294967295);
    assert.equal(headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(seen[0].body), body);
    assert.deepEqual([r.meta.attempts, r.meta.random], [1, Number(query.random)]);
    noSecrets(r.meta.url);
    assert.match(r.meta.url, /usersig=REDACTED/);
  }
});

test("the admin sig is minted once and reused; random is one per call, kept by its retries", async () => {
  reset(reply({}, 502), reply({}, 502));
  const c = client({ retries: { retries: 3, baseMs: 1, maxMs: 2 } });
  const first = await c.groupGet({ From_Account: "a" });
  const second = await c.groupGet({ From_Account: "a" });
  assert.equal(seen.length, 4);
  assert.equal(new Set(seen.map((s) => s.query.usersig)).size, 1, "one cached sig");
  assert.deepEqual(seen.map((s) => Number(s.query.random)), [first.meta.random, first.meta.random, first.meta.random, second.meta.random]);
  assert.notEqual(first.meta.random, second.meta.random, "a fresh random per call");
});

test("a single write whose reply was lost is reconciled: ok, reconciled, as bulk items are", async () => {
  const friends = new Set();
  const server = (entry) => {
    const body = JSON.parse(entry.body);
    if (entry.path.endsWith("/friend_check")) {
      return { status: 200, body: { ...OK, InfoItem: body.To_Account.map((t) => ({ To_Account: t, ResultCode: 0, Relation: friends.has(t) ? "CheckResult_Type_AWithB" : "CheckResult_Type_NoRelation" })) } };
    }
    const ResultItem = body.AddFriendItem.map(({ To_Account }) => {
      if (friends.has(To_Account)) return { To_Account, ResultCode: 30001, ResultInfo: "Err_SNS_FriendAdd_Friend_Exist" };
      friends.add(To_Account);
      return { To_Account, ResultCode: 0, ResultInfo: "" };
    });
    return { status: 200, body: { ...OK, ResultItem, Fail_Account: ResultItem.filter((r) => r.ResultCode).map((r) => r.To_Account) } };
  };
  // The first attempt is applied, then its connection drops; the retry answers 30001.
  reset((e) => ({ ...server(e), drop: true }), server, server);
  const c = client({ retries: { retries: 2, baseMs: 1, maxMs: 2 } });
  const r = await c.friendAdd({ From_Account: "alice", AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Web" }] });
  assert.deepEqual(r.ResultItem, [{ To_Account: "bob", ResultCode: 30001, ResultInfo: "Err_SNS_FriendAdd_Friend_Exist", outcome: "ok", reconciled: true }]);
  assert.deepEqual(seen.map((s) => s.path), ["/v4/sns/friend_add", "/v4/sns/friend_add", "/v4/sns/friend_check"]);
  assert.equal(r.meta.attempts, 3);
  // Without a lost reply, "already a friend" is what the service says: not reconciled.
  reset(server);
  const again = await c.friendAdd({ From_Account: "alice", AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Web" }] });
  assert.deepEqual([again.ResultItem[0].outcome, again.ResultItem[0].reconciled, seen.length], ["failed", undefined, 1]);
});

test("ApiError.retryable says what the client does: 30008 and 60008 are retried, 30001 is not", async () => {
  const c = client({ retries: { retries: 1, baseMs: 1, maxMs: 1 } });
  for (const [code, retryable] of [[30008, true], [60008, true], [30001, false], [70169, true]]) {
    reset(reply({ ActionStatus: "FAIL", ErrorCode: code, ErrorInfo: "" }), reply({ ActionStatus: "FAIL", ErrorCode: code, ErrorInfo: "" }));
    await assert.rejects(c.groupGet({ From_Account: "a" }), (e) => isApiError(e) && e.retryable === retryable);
    assert.equal(seen.length, retryable ? 2 : 1, `code ${code}`);
  }
});

test("retries happen exactly for transient failures", async () => {
  const c = client({ retries: { retries: 2, baseMs: 1, maxMs: 5 } });
  const cases = [
    [[reply({}, 502)], "ok", 2],
    [[reply({ ActionStatus: "FAIL", ErrorCode: 30006, ErrorInfo: "" })], "ok", 2],
    [[reply({ ActionStatus: "FAIL", ErrorCode: 60007, ErrorInfo: "" }), reply({}, 503)], "ok", 3],
    [[reply({}, 502), reply({}, 502), reply({}, 502)], "HttpError", 3],
    [[reply({ ActionStatus: "FAIL", ErrorCode: 70001, ErrorInfo: "expired" })], "ApiError", 1],
    [[reply({ ActionStatus: "FAIL", ErrorCode: 30001, ErrorInfo: "" })], "ApiError", 1],
    [[reply({}, 404)], "HttpError", 1],
    [[reply("not json")], "DecodeError", 1],
  ];
  for (const [replies, expected, attempts] of cases) {
    reset(...replies);
    try {
      const r = await c.friendGet({ From_Account: "a", StartIndex: 0 });
      assert.equal(expected, "ok");
      assert.equal(r.meta.attempts, attempts);
    } catch (e) {
      assert.equal(e.name, expected, e.message);
      assert.equal(e.attempts, attempts);
    }
    assert.equal(seen.length, attempts, `${expected}: ${attempts} attempts`);
  }
  reset();
  await assert.rejects(c.friendGet({ From_Account: "", StartIndex: -1 }), (e) => isValidationError(e) && e.violations.length === 2);
  assert.equal(seen.length, 0, "an invalid body is never sent");
  reset(reply({}, 502));
  await assert.rejects(c.friendGet({ From_Account: "a", StartIndex: 0 }, { retries: 0 }), isHttpError);
  assert.equal(seen.length, 1, "a per-call override");
});

test("errors carry their fields and never the key or the usersig", async () => {
  const c = client({ retries: 0 });
  reset(reply({ ActionStatus: "FAIL", ErrorCode: 70016, ErrorInfo: "key not found", ErrorDisplay: "", RequestId: "Id-9" }));
  await assert.rejects(c.groupGet({ From_Account: "a" }), (e) => {
    assert.ok(isApiError(e));
    assert.deepEqual([e.errorCode, e.errorInfo, e.requestId, e.retryable, e.attempts], [70016, "key not found", "Id-9", false, 1]);
    assert.match(e.hint, /region/);
    assert.equal(e.random, Number(seen[0].query.random));
    noSecrets(e.message); noSecrets(e.url); noSecrets(JSON.stringify(e));
    return true;
  });
  reset(reply("<html>Bad Gateway</html>", 502));
  await assert.rejects(c.groupGet({ From_Account: "a" }), (e) => isHttpError(e) && e.status === 502 && e.snippet.startsWith("<html>"));
  reset(reply("{", 200));
  await assert.rejects(c.groupGet({ From_Account: "a" }), (e) => isDecodeError(e) && e.snippet === "{");
  const dead = new SnsClient({ sdkAppId: SDKAPPID, identifier: ADMIN, secretKey: KEY, baseUrl: "http://127.0.0.1:9", retries: 0 });
  await assert.rejects(dead.groupGet({ From_Account: "a" }), (e) => { noSecrets(e.message); noSecrets(e.url); return isNetworkError(e); });
});

test("a timeout fires, and an aborted signal ends the call", async () => {
  const c = client({ retries: 0, timeoutMs: 100 });
  reset(() => ({ hang: true }));
  await assert.rejects(c.groupGet({ From_Account: "a" }), (e) => isTimeoutError(e) && e.timeoutMs === 100);
  reset(() => ({ hang: true }));
  const controller = new AbortController();
  const t0 = Date.now();
  const call = c.groupGet({ From_Account: "a" }, { timeoutMs: 60_000, signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(call, isAbortError);
  // Generous on purpose: it only proves the signal ended the call, not the 60 s timer.
  assert.ok(Date.now() - t0 < 30_000, "the abort was honoured");
  await assert.rejects(c.groupGet({ From_Account: "a" }, { signal: AbortSignal.abort() }), isAbortError);
});

test("the rate budget never lets more than rateLimitPerSecond calls of a command into any second", async () => {
  const c = client({ rateLimitPerSecond: 5 });
  reset();
  await Promise.all(Array.from({ length: 12 }, () => c.groupGet({ From_Account: "a" })));
  const times = seen.map((s) => s.at).sort((a, b) => a - b);
  for (let i = 0; i < times.length; i++) {
    // Arrival times include network jitter: allow 20 ms of it at the window's edge.
    const inWindow = times.filter((t) => t >= times[i] && t < times[i] + 980).length;
    assert.ok(inWindow <= 5, `${inWindow} calls within a second`);
  }
  assert.equal(times.length, 12);
});

test("many calls in flight on one client all complete", async () => {
  const c = client();
  reset();
  const results = await Promise.all(Array.from({ length: 40 }, (_, i) => c.friendDelete({ From_Account: `u${i}`, To_Account: ["x"] })));
  assert.equal(results.length, 40);
  assert.deepEqual(new Set(seen.map((s) => JSON.parse(s.body).From_Account)).size, 40);
});

test("hooks see every attempt without secrets", async () => {
  const events = [];
  const c = client({
    retries: { retries: 1, baseMs: 1, maxMs: 1 },
    onRequest: (e) => events.push(["request", e]),
    onResponse: (e) => events.push(["response", e]),
    onError: (e) => events.push(["error", e]),
  });
  reset(reply({}, 502));
  await c.friendGet({ From_Account: "a", StartIndex: 0 });
  assert.deepEqual(events.map(([k, e]) => `${k}:${e.attempt}`), ["request:1", "response:1", "error:1", "request:2", "response:2"]);
  assert.equal(events[2][1].willRetry, true);
  for (const [, e] of events) noSecrets(JSON.stringify({ ...e, error: e.error?.message }));
});

test("preview shows the request without sending it", () => {
  reset();
  const p = client().preview("friend_delete", { From_Account: "a", To_Account: ["b"] });
  assert.equal(seen.length, 0);
  assert.match(p.url, new RegExp(`^${base}/v4/sns/friend_delete\\?sdkappid=${SDKAPPID}&identifier=${ADMIN}&usersig=REDACTED&random=\\d+&contenttype=json$`));
  assert.equal(p.body, '{"From_Account":"a","To_Account":["b"]}');
  assert.match(p.curl, /^curl -X POST '.*usersig=REDACTED.*' -H 'Content-Type: application\/json' --data-raw '\{"From_Account":"a"/);
  noSecrets(JSON.stringify(p));
  assert.throws(() => client().preview("friend_delete", {}), isValidationError);
});

test("regions, a ready userSig, an injected fetch and request() for other APIs", async () => {
  assert.ok(regions().length >= 8);
  const urls = [];
  const fetch = async (url, init) => { urls.push(url); return { status: 200, text: async () => JSON.stringify(OK) }; };
  const sig = genUserSig({ sdkAppId: SDKAPPID, secretKey: KEY, identifier: ADMIN });
  const c = new SnsClient({ sdkAppId: SDKAPPID, identifier: ADMIN, userSig: sig, region: "singapore", fetch });
  await c.groupGet({ From_Account: "a" });
  assert.ok(urls[0].startsWith("https://adminapisgp.im.qcloud.com/v4/sns/group_get?"));
  assert.ok(urls[0].includes(`usersig=${sig.replace(/\*/g, "%2A")}`), "the given sig is used");
  const backup = new SnsClient({ sdkAppId: SDKAPPID, identifier: ADMIN, userSig: sig, region: "singapore", backupDomain: true, fetch });
  await backup.request("profile/portrait_get", { To_Account: ["a"], TagList: ["Tag_Profile_IM_Nick"] });
  assert.ok(urls[1].startsWith("https://adminapisgp.my-imcloud.com/v4/profile/portrait_get?"));
});

test("bad options are all reported at once", () => {
  assert.throws(
    () => new SnsClient({ sdkAppId: 0, identifier: "", region: "mars", baseUrl: "ftp://x", timeoutMs: -1, fetch: 5 }),
    (e) => {
      assert.ok(isValidationError(e));
      const paths = e.violations.map((v) => v.path);
      for (const p of ["sdkAppId", "identifier", "secretKey", "baseUrl", "timeoutMs", "fetch"]) assert.ok(paths.includes(p), `${p} in ${paths}`);
      return true;
    },
  );
  assert.throws(() => new SnsClient({ sdkAppId: 1, identifier: "a", secretKey: "k", userSig: "s", region: "seoul" }), (e) => e.violations[0].rule === "one-of");
});

test("friend_get and black_list_get page until done, as async iterables and as arrays", async () => {
  const friendsPage = (names, complete, next) => reply({ ...OK, UserDataItem: names.map((n) => ({ To_Account: n, ValueItem: [] })), CompleteFlag: complete, NextStartIndex: next, FriendNum: 5, StandardSequence: 1, CustomSequence: 0 });
  const c = client();
  reset(friendsPage(["a", "b"], 0, 2), friendsPage(["c", "d"], 0, 4), friendsPage(["e"], 1, 0));
  const pages = [];
  for await (const page of c.friendGetPages({ From_Account: "alice" })) pages.push(page.UserDataItem.map((u) => u.To_Account));
  assert.deepEqual(pages, [["a", "b"], ["c", "d"], ["e"]]);
  assert.deepEqual(seen.map((s) => JSON.parse(s.body).StartIndex), [0, 2, 4]);

  reset(friendsPage(["a", "b"], 0, 2), friendsPage(["c"], 1, 0));
  assert.deepEqual((await c.friendGetAll({ From_Account: "alice" })).map((u) => u.To_Account), ["a", "b", "c"]);

  const blockPage = (names, start) => reply({ ...OK, BlackListItem: names.map((n) => ({ To_Account: n, AddBlackTimeStamp: 1 })), StartIndex: start, CurruentSequence: 3 });
  reset(blockPage(["m", "n"], 2), blockPage(["o"], 0));
  assert.deepEqual((await c.blackListGetAll({ From_Account: "alice", MaxLimited: 2 })).map((u) => u.To_Account), ["m", "n", "o"]);
  assert.deepEqual(seen.map((s) => JSON.parse(s.body)), [
    { From_Account: "alice", MaxLimited: 2, StartIndex: 0, LastSequence: 0 },
    { From_Account: "alice", MaxLimited: 2, StartIndex: 2, LastSequence: 0 },
  ]);
});

test("paging stops with an error when the service does not advance", async () => {
  const c = client();
  const stuck = reply({ ...OK, UserDataItem: [], CompleteFlag: 0, NextStartIndex: 0 });
  reset(stuck, stuck, stuck);
  await assert.rejects(c.friendGetAll({ From_Account: "alice" }), (e) => isDecodeError(e) && /does not advance/.test(e.message));
  assert.equal(seen.length, 1, "no loop");
  await assert.rejects(async () => c.friendGetPages({ From_Account: "" }), isValidationError);
});
