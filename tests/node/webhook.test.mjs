// tim-sns/webhook: verification, parsing and replies from JS, the node:http handler and the
// fetch-style handler (with real Request objects), fed by the emulator's signed callbacks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFileSync, readdirSync } from "node:fs";
import { SnsClient } from "tim-sns";
import { Emulator } from "tim-sns/emulator";
import {
  verifyWebhook, parseCallback, okReply, allowAllReply, refuseReply, webhookSign,
  webhookHandler, webhookFetchHandler, isDecodeError, isValidationError,
} from "tim-sns/webhook";

const APP = 1400000000;
const KEY = "emulator-key";
const TOKEN = "callback-token";
const FIXTURES = new URL("../fixtures/webhooks/", import.meta.url);

test("Tencent's signature example and the refusal reasons", () => {
  assert.equal(webhookSign("xxxxyyyy", "1669872112"), "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061");
  const q = `SdkAppid=${APP}&CallbackCommand=Sns.CallbackFriendAdd&Sign=${webhookSign("xxxxyyyy", "1669872112")}&RequestTime=1669872112`;
  const ok = verifyWebhook({ query: q, token: "xxxxyyyy", sdkAppId: APP, now: 1669872112 });
  assert.deepEqual(ok, { valid: true, command: "Sns.CallbackFriendAdd", requestTime: 1669872112, signatureChecked: true });
  const reason = (o) => verifyWebhook({ query: q, token: "xxxxyyyy", sdkAppId: APP, now: 1669872112, ...o }).reason;
  assert.equal(reason({ token: "xxxyyy" }), "bad-signature");
  assert.equal(reason({ now: 1669872112 + 61 }), "stale");
  assert.equal(reason({ now: 1669872112 - 61 }), "stale");
  assert.equal(reason({ sdkAppId: APP + 1 }), "sdkappid-mismatch");
  assert.equal(reason({ query: q.replace(/&Sign=[^&]*/, "") }), "missing-signature");
  assert.equal(reason({ query: "CallbackCommand=x" }), "malformed");
  assert.equal(reason({ token: null, query: q.replace(/&Sign=[^&]*/, "") }), undefined, "token null skips the signature");
  assert.equal(reason({ url: `https://app.example/cb?${q}`, query: undefined }), undefined);
  // Verification with the real clock (no `now`) refuses an old request.
  assert.equal(verifyWebhook({ query: q, token: "xxxxyyyy", sdkAppId: APP }).reason, "stale");
  assert.throws(() => verifyWebhook({ query: q, sdkAppId: APP }), (e) => isValidationError(e) && e.violations[0].path === "token");
});

test("every callback sample parses, and the reply builders validate", () => {
  const samples = readdirSync(FIXTURES).filter((f) => f.endsWith("-request.json"));
  assert.equal(samples.length, 3);
  for (const f of samples) {
    const text = readFileSync(new URL(f, FIXTURES), "utf8");
    assert.deepEqual(parseCallback("", text), JSON.parse(text), f);
  }
  const prev = parseCallback("", readFileSync(new URL("spec-webhooks-01-request.json", FIXTURES), "utf8"));
  const refused = refuseReply(prev, [{ To_Account: "bob", ResultCode: 38001, ResultInfo: "blocked by app policy" }]);
  assert.deepEqual(refused, JSON.parse(readFileSync(new URL("spec-webhooks-02-response.json", FIXTURES), "utf8")));
  assert.deepEqual(allowAllReply(prev).ResultItem, [{ To_Account: "bob", ResultCode: 0, ResultInfo: "" }]);
  assert.deepEqual(okReply(), { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" });
  assert.throws(() => refuseReply(prev, [{ To_Account: "bob", ResultCode: 37999 }, { To_Account: "eve", ResultCode: 38000 }]),
    (e) => isValidationError(e) && e.violations.map((v) => v.path).join() === "refusals[0].ResultCode,refusals[1].To_Account");
  assert.throws(() => parseCallback("", '{"CallbackCommand":"Sns.CallbackFriendAdd","PairList":[{}]}'),
    (e) => isDecodeError(e) && e.violations[0].path === "PairList[0].From_Account");
  assert.throws(() => parseCallback("", '{"CallbackCommand":"C2C.CallbackAfterSendMsg"}'), isDecodeError);
  const kept = parseCallback("?CallbackCommand=Sns.CallbackBlackListAdd", '{"PairList":[],"Future":1}');
  assert.deepEqual(kept, { CallbackCommand: "Sns.CallbackBlackListAdd", PairList: [], Future: 1 });
});

/** Hooks for every command that record what arrives; "before" hooks ask `decide`. */
function recorder(decide = () => undefined) {
  const seen = [];
  const on = {};
  for (const command of ["Sns.CallbackPrevFriendAdd", "Sns.CallbackPrevFriendResponse", "Sns.CallbackFriendAdd",
    "Sns.CallbackFriendDelete", "Sns.CallbackBlackListAdd", "Sns.CallbackBlackListDelete"]) {
    on[command] = (callback, info) => {
      seen.push({ command, callback, info });
      return command.includes("Prev") ? decide(callback) : "ignored";
    };
  }
  return { seen, on };
}

/** The scripted session: REST add, import, delete, block, unblock, and client requests. */
async function session(emulator) {
  emulator.importAccounts(["alice", "bob", "carol", "dave"]);
  for (const u of ["alice", "bob", "carol"]) emulator.setAllowType(u, "AllowType_Type_AllowAny");
  const client = new SnsClient({ sdkAppId: APP, identifier: "administrator", secretKey: KEY, baseUrl: "https://emulator.local", fetch: emulator.fetch });
  await client.friendAdd({ From_Account: "alice", AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Web" }] });
  await client.friendImport({ From_Account: "dave", AddFriendItem: [{ To_Account: "alice", AddSource: "AddSource_Type_Import" }] });
  await client.friendDelete({ From_Account: "alice", To_Account: ["bob"], DeleteType: "Delete_Type_Both" });
  await client.blackListAdd({ From_Account: "alice", To_Account: ["dave"] });
  await client.blackListDelete({ From_Account: "alice", To_Account: ["dave"] });
  await emulator.flushCallbacks();
  const added = await emulator.clientFriendAdd({ From_Account: "carol", AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Android" }] });
  emulator.setAllowType("alice", "AllowType_Type_NeedConfirm");
  await emulator.clientFriendAdd({ From_Account: "dave", AddFriendItem: [{ To_Account: "alice", AddSource: "AddSource_Type_Android" }] });
  const answered = await emulator.clientFriendResponse({ From_Account: "alice", ResponseFriendItem: [{ To_Account: "dave", ResponseAction: "Response_Action_Agree" }] });
  await emulator.flushCallbacks();
  return { added, answered };
}

const EXPECTED = [
  ["Sns.CallbackFriendAdd", ["alice>bob", "bob>alice"]],
  ["Sns.CallbackFriendDelete", ["alice>bob", "bob>alice"]],
  ["Sns.CallbackBlackListAdd", ["alice>dave"]],
  ["Sns.CallbackFriendDelete", ["dave>alice"]],
  ["Sns.CallbackBlackListDelete", ["alice>dave"]],
  ["Sns.CallbackPrevFriendAdd", null],
  ["Sns.CallbackFriendAdd", ["carol>bob", "bob>carol"]],
  ["Sns.CallbackPrevFriendAdd", null],
  ["Sns.CallbackPrevFriendResponse", null],
  ["Sns.CallbackFriendAdd", ["dave>alice"]],
];

function checkSession(seen, emulator, { added, answered }) {
  const got = seen.map(({ command, callback }) => [command, callback.PairList ? callback.PairList.map((p) => `${p.From_Account}>${p.To_Account}`) : null]);
  assert.deepEqual(got, EXPECTED, "every callback, in order, none for friend_import");
  for (const { command, callback, info } of seen) {
    assert.equal(callback.CallbackCommand, command);
    assert.deepEqual([info.verification.valid, info.verification.signatureChecked, info.verification.command], [true, true, command]);
    assert.equal(typeof callback.EventTime, "number");
  }
  const add = seen[0].callback;
  assert.deepEqual([add.ClientCmd, add.Admin_Account, add.ForceFlag, add.PairList[1].Initiator_Account], ["friend_add", "administrator", 0, "alice"]);
  assert.deepEqual(seen[8].callback.ResponseFriendItem, [{ To_Account: "dave", Remark: "", TagName: "", ResponseAction: "Response_Action_Agree" }]);
  assert.equal(seen[9].callback.ClientCmd, "friend_response");
  assert.equal(added.prevCallback.verdict, "answered");
  assert.equal(answered.ResultItem[0].ResultCode, 0);
  const log = emulator.callbacks();
  assert.equal(log.length, EXPECTED.length);
  assert.ok(log.every((c) => c.signed && c.delivery.state === "delivered" && c.delivery.status === 200), JSON.stringify(log.map((c) => c.delivery)));
  assert.match(log[0].url, /\?SdkAppid=1400000000&CallbackCommand=Sns\.CallbackFriendAdd&contenttype=json&ClientIP=127\.0\.0\.1&OptPlatform=RESTAPI&Sign=[0-9a-f]{64}&RequestTime=\d+$/);
  assert.match(log[5].query, /OptPlatform=Web/);
}

async function listen(handler) {
  const server = createServer(handler);
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { server, url: `http://127.0.0.1:${server.address().port}/im/callback` };
}

test("node:http: the emulator over HTTP sends every Sns callback of a session, each verified and typed", async () => {
  const { seen, on } = recorder();
  const { server, url } = await listen(webhookHandler({ sdkAppId: APP, token: TOKEN, on }));
  try {
    const emulator = new Emulator({ sdkAppId: APP, secretKey: KEY, webhook: { url, token: TOKEN } });
    checkSession(seen, emulator, await session(emulator));
  } finally {
    server.close();
  }
});

test("fetch-style: the same session through webhookFetchHandler with real Request objects", async () => {
  const { seen, on } = recorder();
  const handler = webhookFetchHandler({ sdkAppId: APP, token: TOKEN, on });
  const requests = [];
  const fetch = async (url, init) => {
    const request = new Request(url, init);
    requests.push(request);
    return handler(request);
  };
  const emulator = new Emulator({ sdkAppId: APP, secretKey: KEY, webhook: { fetch, token: TOKEN } });
  checkSession(seen, emulator, await session(emulator));
  assert.ok(requests.every((r) => r instanceof Request && r.method === "POST"));
});

test("a refused target of a client friend request is not added and gets the app's code", async () => {
  const { seen, on } = recorder((cb) => cb.FriendItem.filter((i) => i.To_Account === "carol").map((i) => ({ To_Account: i.To_Account, ResultCode: 38123, ResultInfo: "no carol" })));
  const { server, url } = await listen(webhookHandler({ sdkAppId: APP, token: TOKEN, on }));
  try {
    const emulator = new Emulator({ sdkAppId: APP, secretKey: KEY, webhook: { url, token: TOKEN } });
    emulator.importAccounts(["alice", "bob", "carol"]);
    for (const u of ["bob", "carol"]) emulator.setAllowType(u, "AllowType_Type_AllowAny");
    const r = await emulator.clientFriendAdd({ From_Account: "alice", AddFriendItem: [
      { To_Account: "bob", AddSource: "AddSource_Type_Web" }, { To_Account: "carol", AddSource: "AddSource_Type_Web" }] });
    assert.deepEqual(r.ResultItem, [{ To_Account: "bob", ResultCode: 0, ResultInfo: "" }, { To_Account: "carol", ResultCode: 38123, ResultInfo: "no carol" }]);
    assert.deepEqual(r.Fail_Account, ["carol"]);
    const snap = emulator.snapshot();
    assert.deepEqual(Object.keys(snap.alice.friends), ["bob"]);
    assert.deepEqual(Object.keys(snap.carol.friends), []);
    await emulator.flushCallbacks();
    assert.deepEqual(seen.map((s) => s.command), ["Sns.CallbackPrevFriendAdd", "Sns.CallbackFriendAdd"]);
    assert.deepEqual(seen[1].callback.PairList.map((p) => p.To_Account), ["bob", "alice"]);
  } finally {
    server.close();
  }
});

test("a before handler slower than 2 s: the request proceeds as if allowed (the default policy)", async () => {
  // The handler answers only after the call has returned: the call cannot have waited for it.
  let release;
  const answered = new Promise((r) => { release = r; });
  const { on } = recorder(async (cb) => {
    await answered;
    return cb.FriendItem.map((i) => ({ To_Account: i.To_Account, ResultCode: 38000 }));
  });
  const { server, url } = await listen(webhookHandler({ sdkAppId: APP, token: TOKEN, on }));
  try {
    const emulator = new Emulator({ sdkAppId: APP, secretKey: KEY, webhook: { url, token: TOKEN } });
    emulator.importAccounts(["alice", "bob"]);
    emulator.setAllowType("bob", "AllowType_Type_AllowAny");
    const started = Date.now();
    const r = await emulator.clientFriendAdd({ From_Account: "alice", AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Web" }] });
    const waited = Date.now() - started;
    assert.ok(waited >= 1900, `gave up after ${waited} ms, before the 2 s timeout`);
    assert.equal(r.ResultItem[0].ResultCode, 0, "allowed despite the (late) refusal");
    assert.deepEqual([r.prevCallback.state, r.prevCallback.verdict], ["timeout", "proceeded"]);
    assert.deepEqual(Object.keys(emulator.snapshot().alice.friends), ["bob"]);
  } finally {
    release();
    server.closeAllConnections();
    server.close();
  }
});

test("the handlers refuse bad requests, survive throwing hooks and pass unknown commands on", async () => {
  const events = [];
  const handler = webhookFetchHandler({
    sdkAppId: APP, token: TOKEN, maxBodyBytes: 2000,
    on: { "Sns.CallbackFriendAdd": () => { throw new Error("database down"); } },
    onUnknown: (command, body) => events.push(["unknown", command, body.x]),
    onRefused: (r) => events.push(["refused", r.reason, r.status]),
    onError: (e) => events.push(["error", e.message]),
  });
  const now = String(Math.floor(Date.now() / 1000));
  const url = (cmd, token = TOKEN) => `http://127.0.0.1/cb?SdkAppid=${APP}&CallbackCommand=${cmd}&contenttype=json&Sign=${webhookSign(token, now)}&RequestTime=${now}`;
  const post = async (u, body, method = "POST") => {
    const r = await handler(new Request(u, method === "POST" ? { method, body } : { method }));
    return [r.status, (await r.json()).ErrorCode];
  };
  const add = '{"CallbackCommand":"Sns.CallbackFriendAdd","PairList":[]}';
  assert.deepEqual(await post(url("Sns.CallbackFriendAdd"), add), [500, 1], "a throwing hook gives a failure reply");
  assert.deepEqual(await post(url("Group.CallbackAfterCreateGroup"), '{"CallbackCommand":"Group.CallbackAfterCreateGroup","x":5}'), [200, 0]);
  assert.deepEqual(await post(url("Sns.CallbackFriendAdd", "wrong"), add), [401, 1]);
  assert.deepEqual(await post(url("Sns.CallbackFriendAdd"), " ".repeat(2001)), [413, 1]);
  assert.deepEqual(await post(url("Sns.CallbackFriendAdd"), "{"), [400, 1]);
  assert.deepEqual(await post(url("Sns.CallbackFriendAdd"), null, "GET"), [405, 1]);
  assert.deepEqual(events, [["error", "database down"], ["unknown", "Group.CallbackAfterCreateGroup", 5],
    ["refused", "bad-signature", 401], ["refused", "too-large", 413], ["refused", "decode", 400], ["refused", "method-not-allowed", 405]]);
  // A before hook returning a bad code is the app's failure, reported through onError.
  const prev = webhookFetchHandler({ sdkAppId: APP, token: null, onError: (e) => events.push(["bad-return", e.violations[0].path]),
    on: { "Sns.CallbackPrevFriendAdd": (cb) => [{ To_Account: cb.FriendItem[0].To_Account, ResultCode: 1 }] } });
  const r = await prev(new Request(`http://x/cb?SdkAppid=${APP}`, { method: "POST", body: '{"CallbackCommand":"Sns.CallbackPrevFriendAdd","From_Account":"a","FriendItem":[{"To_Account":"b"}]}' }));
  assert.equal(r.status, 500);
  assert.deepEqual(events.at(-1), ["bad-return", "refusals[0].ResultCode"]);
  assert.throws(() => webhookHandler({ sdkAppId: APP }), isValidationError, "the token must be given, even as null");
  assert.throws(() => webhookFetchHandler({ sdkAppID: APP, token: null, onError: 1, on: { "Sns.CallbackFriendAd": () => {} } }), (e) => {
    const paths = e.violations.map((v) => v.path).join(" ");
    return isValidationError(e) && /sdkAppID/.test(paths) && /onError/.test(paths) && /Sns\.CallbackFriendAd\b/.test(paths);
  }, "typos in options and hook names are reported, all at once");
});

test("the node handler refuses an oversized body without buffering it", async () => {
  const { server, url } = await listen(webhookHandler({ sdkAppId: APP, token: null, maxBodyBytes: 100 }));
  try {
    const r = await fetch(`${url}?SdkAppid=${APP}`, { method: "POST", body: "x".repeat(100_000) });
    assert.equal(r.status, 413);
    const ok = await fetch(`${url}?SdkAppid=${APP}`, { method: "POST", body: '{"CallbackCommand":"Sns.CallbackBlackListAdd","PairList":[]}' });
    assert.deepEqual([ok.status, await ok.json()], [200, { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" }]);
  } finally {
    server.close();
  }
});

test("Alert.RequestOverLimit: verified, parsed and typed, and its hook gets the command to slow down", async () => {
  const penalized = [];
  const { server, url } = await listen(webhookHandler({
    sdkAppId: APP, token: TOKEN,
    // As docs/several-workers.md wires it to the shared budget's penalize.
    on: { "Alert.RequestOverLimit": (alert) => { if (alert.ServiceName === "sns") penalized.push([alert.Command, alert.Request, alert.Limit]); } },
  }));
  try {
    const now = String(Math.floor(Date.now() / 1000));
    const query = `?SdkAppid=${APP}&CallbackCommand=Alert.RequestOverLimit&contenttype=json&OptPlatform=RESTAPI&Sign=${webhookSign(TOKEN, now)}&RequestTime=${now}`;
    const post = async (body, q = query) => {
      const r = await fetch(url + q, { method: "POST", body: JSON.stringify(body) });
      return [r.status, (await r.json()).ErrorCode];
    };
    assert.deepEqual(await post({ CallbackCommand: "Alert.RequestOverLimit", ServiceName: "sns", Command: "friend_import", Request: 170, Limit: 200 }), [200, 0]);
    // Another service's warning reaches the hook too; this one acts only on sns.
    assert.deepEqual(await post({ CallbackCommand: "Alert.RequestOverLimit", ServiceName: "openim", Command: "batchsendmsg", Request: 510, Limit: 200 }), [200, 0]);
    assert.deepEqual(await post({ CallbackCommand: "Alert.RequestOverLimit", ServiceName: "sns" }), [400, 1], "Command is required");
    assert.deepEqual(await post({ CallbackCommand: "Alert.RequestOverLimit", ServiceName: "sns", Command: "friend_add" }, query.replace(/Sign=[0-9a-f]+/, "Sign=00")), [401, 1]);
    assert.deepEqual(penalized, [["friend_import", 170, 200]]);
  } finally {
    server.close();
  }
  const alert = parseCallback("?CallbackCommand=Alert.RequestOverLimit", '{"ServiceName":"sns","Command":"friend_add","Request":161,"Limit":200}');
  assert.deepEqual(alert, { CallbackCommand: "Alert.RequestOverLimit", ServiceName: "sns", Command: "friend_add", Request: 161, Limit: 200 });
});
