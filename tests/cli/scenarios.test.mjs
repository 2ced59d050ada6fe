// Scenarios over real loopback HTTP: SnsClient -> `tim-sns emulator`, every endpoint.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SnsClient, genUserSig, isApiError } from "tim-sns";

const BIN = fileURLToPath(new URL("../../node_modules/.bin/tim-sns", import.meta.url));
const KEY = "scenario-key";
const APP = 1400000000;
let server, base, client;

before(async () => {
  server = spawn(BIN, ["emulator", "--port", "0", "--key", KEY, "--quiet"], { stdio: ["ignore", "pipe", "inherit"] });
  base = await new Promise((ok) => server.stdout.on("data", (c) => { const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(String(c)); if (m) ok(m[1]); }));
  client = new SnsClient({ sdkAppId: APP, identifier: "administrator", secretKey: KEY, baseUrl: base, retries: 0 });
  await client.request("im_open_login_svc/multiaccount_import", { Accounts: ["alice", "bob", "carol", "dave", "erin", "mallory", "zed"] });
  for (const [user, allow] of [["bob", "AllowAny"], ["dave", "DenyAny"], ["erin", "AllowAny"], ["mallory", "AllowAny"], ["zed", "AllowAny"]]) {
    await client.request("profile/portrait_set", { From_Account: user, ProfileItem: [{ Tag: "Tag_Profile_IM_AllowType", Value: `AllowType_Type_${allow}` }] });
  }
});
after(() => server?.kill());

const codes = (reply, key = "ResultItem") => reply[key].map((i) => [i.To_Account, i.ResultCode]);
const src = (to) => ({ To_Account: to, AddSource: "AddSource_Type_Test" });

test("adds: two-way, one-way, pending, DenyAny and blocklists in both directions", async () => {
  await client.blackListAdd({ From_Account: "mallory", To_Account: ["alice"] });
  await client.blackListAdd({ From_Account: "alice", To_Account: ["erin"] });
  const r = await client.friendAdd({ From_Account: "alice", AddFriendItem: ["bob", "carol", "dave", "erin", "mallory"].map(src) });
  assert.deepEqual(codes(r), [["bob", 0], ["carol", 30539], ["dave", 30516], ["erin", 30515], ["mallory", 30525]]);
  assert.deepEqual(r.ResultItem.map((i) => i.outcome), ["ok", "pending", "failed", "failed", "failed"]);
  const one = await client.friendAdd({ From_Account: "zed", AddFriendItem: [src("bob")], AddType: "Add_Type_Single" });
  assert.deepEqual(codes(one), [["bob", 0]]);
  const check = await client.friendCheck({ From_Account: "bob", To_Account: ["alice", "zed"], CheckType: "CheckResult_Type_Both" });
  assert.deepEqual(check.InfoItem.map((i) => i.Relation), ["CheckResult_Type_BothWay", "CheckResult_Type_BWithA"]);
  const single = await client.friendCheck({ From_Account: "bob", To_Account: ["zed"], CheckType: "CheckResult_Type_Single" });
  assert.equal(single.InfoItem[0].Relation, "CheckResult_Type_NoRelation");
});

test("import, update, lists and their sequences, get_list and paging", async () => {
  const imp = await client.friendImport({ From_Account: "carol", AddFriendItem: [{ ...src("zed"), Remark: "Z", GroupName: ["Climbing"], CustomItem: [{ Tag: "Tag_SNS_Custom_Team", Value: "ops" }] }] });
  assert.deepEqual(codes(imp), [["zed", 0]]);
  const before = (await client.groupGet({ From_Account: "carol" })).CurrentSequence;
  const added = await client.groupAdd({ From_Account: "carol", GroupName: ["Family"], To_Account: ["zed", "bob"] });
  assert.deepEqual(codes(added), [["zed", 0], ["bob", 32216]]);
  assert.ok(added.CurrentSequence > before);
  await client.friendUpdate({ From_Account: "carol", UpdateItem: [{ To_Account: "zed", SnsItem: [{ Tag: "Tag_SNS_IM_Remark", Value: "Zed" }] }] });
  const list = await client.friendGetList({ From_Account: "carol", To_Account: ["zed"], TagList: ["Tag_SNS_IM_Remark", "Tag_SNS_IM_Group"] });
  assert.deepEqual(list.InfoItem[0].SnsProfileItem, [{ Tag: "Tag_SNS_IM_Remark", Value: "Zed" }, { Tag: "Tag_SNS_IM_Group", Value: ["Climbing", "Family"] }]);
  const lists = await client.groupGet({ From_Account: "carol", NeedFriend: "Need_Friend_Type_Yes" });
  assert.deepEqual(lists.ResultItem.map((l) => [l.GroupName, l.To_Account]), [["Climbing", ["zed"]], ["Family", ["zed"]]]);
  await client.groupDelete({ From_Account: "carol", GroupName: ["Climbing"] });
  await assert.rejects(client.groupDelete({ From_Account: "carol", GroupName: ["Climbing"] }), (e) => isApiError(e) && e.errorCode === 30001);
  // Paging over several pages: 250 friends at 100 a page.
  const many = Array.from({ length: 250 }, (_, i) => `m${i}`);
  for (let i = 0; i < many.length; i += 100) await client.request("im_open_login_svc/multiaccount_import", { Accounts: many.slice(i, i + 100) });
  await client.friendImport({ From_Account: "dave", AddFriendItem: many.map(src) });
  let pages = 0;
  for await (const page of client.friendGetPages({ From_Account: "dave" })) pages++;
  assert.equal(pages, 3);
  assert.equal((await client.friendGetAll({ From_Account: "dave" })).length, 250);
});

test("deletes single and both; blocklist paging and checks; a capacity limit", async () => {
  await client.friendAdd({ From_Account: "erin", AddFriendItem: [src("bob"), src("zed")] });
  const del = await client.friendDelete({ From_Account: "erin", To_Account: ["bob", "nobody"] });
  assert.deepEqual(codes(del), [["bob", 0], ["nobody", 31704]]);
  await client.friendDelete({ From_Account: "erin", To_Account: ["zed"], DeleteType: "Delete_Type_Both" });
  const gone = await client.friendCheck({ From_Account: "zed", To_Account: ["erin"], CheckType: "CheckResult_Type_Both" });
  assert.equal(gone.InfoItem[0].Relation, "CheckResult_Type_NoRelation");
  await client.friendDeleteAll({ From_Account: "dave" });
  assert.equal((await client.friendGetAll({ From_Account: "dave" })).length, 0);
  const blocked = Array.from({ length: 5 }, (_, i) => `m${i}`);
  await client.blackListAdd({ From_Account: "zed", To_Account: blocked });
  const all = await client.blackListGetAll({ From_Account: "zed", MaxLimited: 2 });
  assert.deepEqual(all.map((b) => b.To_Account), blocked);
  const bc = await client.blackListCheck({ From_Account: "zed", To_Account: ["m0", "alice"], CheckType: "BlackCheckResult_Type_Both" });
  assert.deepEqual(bc.BlackListCheckItem.map((i) => i.Relation), ["BlackCheckResult_Type_AWithB", "BlackCheckResult_Type_NO"]);
  assert.deepEqual(codes(await client.blackListDelete({ From_Account: "zed", To_Account: ["m0", "alice"] })), [["m0", 0], ["alice", 30001]]);
  const lists = Array.from({ length: 32 }, (_, i) => `L${i}`);
  await client.groupAdd({ From_Account: "bob", GroupName: lists });
  await assert.rejects(client.groupAdd({ From_Account: "bob", GroupName: ["one more"] }), (e) => e.errorCode === 30011);
});

test("an expired or forged UserSig, a wrong SDKAppID, and 60007 past 200 calls a second", async () => {
  const at = (sig) => new SnsClient({ sdkAppId: APP, identifier: "administrator", userSig: sig, baseUrl: base, retries: 0 });
  const expired = genUserSig({ sdkAppId: APP, secretKey: KEY, identifier: "administrator", time: 1_000_000, expireSeconds: 60 });
  await assert.rejects(at(expired).groupGet({ From_Account: "alice" }), (e) => e.errorCode === 70001);
  const forged = genUserSig({ sdkAppId: APP, secretKey: "forged", identifier: "administrator" });
  await assert.rejects(at(forged).groupGet({ From_Account: "alice" }), (e) => e.errorCode === 70009);
  const wrongApp = new SnsClient({ sdkAppId: APP + 1, identifier: "administrator", secretKey: KEY, baseUrl: base, retries: 0 });
  await assert.rejects(wrongApp.groupGet({ From_Account: "alice" }), (e) => e.errorCode === 70020 && /region/.test(e.hint));
  // A caller that ignores the limit (its own throttle set far above it) gets 60007.
  const greedy = new SnsClient({ sdkAppId: APP, identifier: "administrator", secretKey: KEY, baseUrl: base, retries: 0, rateLimitPerSecond: 100_000 });
  const results = await Promise.allSettled(Array.from({ length: 260 }, () => greedy.friendCheck({ From_Account: "alice", To_Account: ["bob"], CheckType: "CheckResult_Type_Single" })));
  const limited = results.filter((r) => r.status === "rejected" && r.reason.errorCode === 60007).length;
  assert.ok(limited > 0, "some calls were rate limited");
  assert.ok(results.filter((r) => r.status === "fulfilled").length <= 200 + 5, "no more than about 200 got through in that second");
});
