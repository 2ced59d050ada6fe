// The in-process emulator (the tim-sns/emulator entry) behind SnsClient, with and without faults.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { SnsClient, isApiError, isValidationError } from "tim-sns";
import { Emulator } from "tim-sns/emulator";

const APP = 1400000000;
const KEY = "emulator-key";
const setup = (faults) => {
  const emulator = new Emulator({ sdkAppId: APP, secretKey: KEY, seed: 7, faults });
  const client = new SnsClient({
    sdkAppId: APP, identifier: "administrator", secretKey: KEY, baseUrl: "https://emulator.local", fetch: emulator.fetch,
    timeoutMs: 200, retries: { retries: 4, baseMs: 1, maxMs: 5 }, rateLimitPerSecond: 1000,
  });
  return { emulator, client };
};

test("friend_add then friend_get through SnsClient and emulator.fetch", async () => {
  const { emulator, client } = setup();
  emulator.importAccounts(["alice", "bob", "carol"]);
  emulator.setAllowType("bob", "AllowType_Type_AllowAny");
  const added = await client.friendAdd({ From_Account: "alice", AddFriendItem: [
    { To_Account: "bob", AddSource: "AddSource_Type_Web", Remark: "Bobby" },
    { To_Account: "carol", AddSource: "AddSource_Type_Web" },
  ] });
  assert.deepEqual(added.ResultItem.map((i) => [i.To_Account, i.outcome, i.ResultCode]), [["bob", "ok", 0], ["carol", "pending", 30539]]);
  const friends = await client.friendGetAll({ From_Account: "alice" });
  assert.deepEqual(friends.map((f) => f.To_Account), ["bob"]);
  assert.deepEqual(friends[0].ValueItem.find((v) => v.Tag === "Tag_SNS_IM_Remark").Value, "Bobby");
  const snap = emulator.snapshot();
  assert.deepEqual(Object.keys(snap.bob.friends), ["alice"], "two-way");
  assert.deepEqual(snap.carol.pendingFrom, ["alice"]);
  await assert.rejects(client.friendGet({ From_Account: "nobody", StartIndex: 0 }), (e) => isApiError(e) && e.errorCode === 30003);
  assert.throws(() => emulator.setAllowType("bob", "sometimes"), isValidationError);
});

test("a forged sig and a wrong SDKAppID are refused like the service does", async () => {
  const { emulator } = setup();
  emulator.importAccounts(["alice"]);
  const forged = new SnsClient({ sdkAppId: APP, identifier: "administrator", secretKey: "not-the-key", baseUrl: "https://e", fetch: emulator.fetch, retries: 0 });
  await assert.rejects(forged.groupGet({ From_Account: "alice" }), (e) => isApiError(e) && e.errorCode === 70009);
  const other = new SnsClient({ sdkAppId: APP + 1, identifier: "administrator", secretKey: KEY, baseUrl: "https://e", fetch: emulator.fetch, retries: 0 });
  await assert.rejects(other.groupGet({ From_Account: "alice" }), (e) => isApiError(e) && e.errorCode === 70020);
});

test("with 10% injected faults a bulk import of 10 000 friendships across 100 users ends fully accounted and matches the state", async () => {
  const { emulator, client } = setup({ http502: 0.04, drop: 0.02, request30006: 0.02, request30008: 0.02 });
  const users = Array.from({ length: 100 }, (_, u) => `user${u}`);
  emulator.importAccounts(users);
  emulator.importAccounts(Array.from({ length: 100 }, (_, i) => `target${i}`));
  const input = users.map((u) => ({ From_Account: u, items: Array.from({ length: 100 }, (_, i) => ({ To_Account: `target${i}`, AddSource: "AddSource_Type_Import" })) }));
  const report = await client.importFriends(input, { concurrency: 5 });
  assert.equal(report.items.length, 10_000);
  assert.equal(new Set(report.items.map((i) => i.index)).size, 10_000);
  const snap = emulator.snapshot();
  for (const item of report.items) {
    const present = Object.hasOwn(snap[item.From_Account].friends, item.To_Account);
    assert.equal(present, item.outcome === "ok", `${item.From_Account}>${item.To_Account} is ${item.outcome}`);
  }
  // The expected final state: exactly the ok items, and nothing else, in every user's list.
  const expected = {};
  for (const item of report.items) if (item.outcome === "ok") (expected[item.From_Account] ??= []).push(item.To_Account);
  for (const user of users) assert.deepEqual(Object.keys(snap[user].friends).sort(), (expected[user] ?? []).sort(), user);
  assert.ok(report.ok > 9_900, `${report.ok} ok`);
});

test("the emulator entry also loads from CommonJS", () => {
  const require = createRequire(import.meta.url);
  const { Emulator: Cjs } = require("tim-sns/emulator");
  const e = new Cjs({ sdkAppId: APP, secretKey: KEY });
  e.importAccounts(["x"]);
  assert.ok(Object.hasOwn(e.snapshot(), "x"));
});

test("lostReply: the emulator applies the request, the fetch rejects, and a bulk run reconciles it", async () => {
  const lost = setup({ lostReply: 1 });
  lost.emulator.importAccounts(["alice", "bob"]);
  const noRetry = new SnsClient({ sdkAppId: APP, identifier: "administrator", secretKey: KEY, baseUrl: "https://emulator.local", fetch: lost.emulator.fetch, retries: 0 });
  await assert.rejects(noRetry.friendImport({ From_Account: "alice", AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Web" }] }),
    (e) => e.name === "NetworkError");
  assert.deepEqual(Object.keys(lost.emulator.snapshot().alice.friends), ["bob"], "applied although the reply was lost");

  const { emulator, client } = setup({ lostReply: 0.2 });
  const users = Array.from({ length: 30 }, (_, i) => `u${i}`);
  const targets = Array.from({ length: 10 }, (_, i) => `t${i}`);
  emulator.importAccounts([...users, ...targets]);
  const report = await client.importFriends(users.map((u) => ({ From_Account: u, items: targets.map((t) => ({ To_Account: t, AddSource: "AddSource_Type_Web" })) })), { itemRetries: 4 });
  const snap = emulator.snapshot();
  const held = (i) => Object.keys(snap[i.From_Account].friends).includes(i.To_Account);
  assert.equal(report.items.length, 300, "every item one outcome");
  assert.ok(report.items.some((i) => i.reconciled), "lost replies were reconciled");
  assert.ok(report.items.filter((i) => i.outcome === "ok").every(held), "nothing reported ok is missing");
  assert.ok(report.items.filter(held).every((i) => i.outcome !== "failed"), "nothing held is reported failed");
});

test("handle answers as fetch does, as plain { status, body }, faults included", async () => {
  const { genUserSig } = await import("tim-sns");
  const sig = genUserSig({ sdkAppId: APP, secretKey: KEY, identifier: "administrator", expireSeconds: 3600 });
  const path = `/v4/sns/friend_import?sdkappid=${APP}&identifier=administrator&usersig=${sig}&random=7&contenttype=json`;
  const body = JSON.stringify({ From_Account: "alice", AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Web" }, { To_Account: "nobody", AddSource: "AddSource_Type_Web" }] });
  const fresh = (faults) => {
    const e = new Emulator({ sdkAppId: APP, secretKey: KEY, seed: 7, faults });
    e.importAccounts(["alice", "bob"]);
    return e;
  };
  const viaFetch = await fresh().fetch(`http://127.0.0.1${path}`, { method: "POST", body });
  const handled = await fresh().handle(path, body);
  assert.deepEqual(Object.keys(handled), ["status", "body"]);
  assert.equal(handled.status, viaFetch.status);
  assert.equal(handled.body, await viaFetch.text());
  assert.deepEqual(JSON.parse(handled.body).ResultItem.map((i) => i.ResultCode), [0, 30003]);
  assert.equal((await fresh().handle(`http://127.0.0.1${path}`, body)).body, handled.body, "a whole URL works too");
  assert.equal((await fresh({ http502: 1 }).handle(path, body)).status, 502);
  const lost = fresh({ lostReply: 1 });
  await assert.rejects(lost.handle(path, body), TypeError);
  assert.deepEqual(Object.keys(lost.snapshot().alice.friends), ["bob"], "applied although the reply was lost");
});
