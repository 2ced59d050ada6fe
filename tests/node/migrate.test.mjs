// Migration's pipeline through the built package, against in-process emulators: records come out
// in input order whatever order the users finish in, a restore goes user by user (accounts of
// each chunk created first), reports each user once in input order, and a second restore sends
// no write. (tests/cli/migrate.test.mjs covers the round trip over HTTP and the CLI.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { SnsClient } from "tim-sns";
import { Emulator } from "tim-sns/emulator";

const KEY = "migrate-node-test-key";
const WRITES = new Set(["friend_import", "group_add", "black_list_add", "friend_update"]);

function app(sdkAppId, users) {
  const emu = new Emulator({ sdkAppId, secretKey: KEY });
  emu.importAccounts(users);
  const sent = [];
  const client = new SnsClient({ sdkAppId, identifier: "administrator", secretKey: KEY, baseUrl: "http://emulator.invalid", fetch: emu.fetch, onRequest: (e) => sent.push(e.command) });
  return { client, sent, writes: () => sent.filter((c) => WRITES.has(c)).length };
}

const ids = Array.from({ length: 12 }, (_, i) => `u${String(i).padStart(2, "0")}`);

test("exportUsers yields records in input order while a slow user (three friend pages) is still reading", async () => {
  const others = Array.from({ length: 250 }, (_, i) => `f${i}`);
  const a = app(1400000101, [...ids, ...others]);
  await a.client.importFriends([
    { From_Account: ids[0], items: others.map((To_Account) => ({ To_Account, AddSource: "AddSource_Type_Test" })) },
    ...ids.slice(1).map((u, i) => ({ From_Account: u, items: [{ To_Account: ids[(i + 2) % ids.length], AddSource: "AddSource_Type_Test" }] })),
  ]);
  await a.client.request("group_add", { From_Account: ids[3], GroupName: ["Empty"] });
  await a.client.blockUsers([{ From_Account: ids[4], items: [ids[5]] }]);
  a.sent.length = 0;
  const records = [];
  for await (const r of a.client.exportUsers([...ids, "nobody"], { concurrency: 3 })) records.push(r);
  assert.deepEqual(records.map((r) => r.From_Account), [...ids, "nobody"]);
  assert.equal(records[0].Friends.length, 250, "every friend page of the first user");
  assert.equal(a.sent.filter((c) => c === "friend_get").length, 3 + ids.length, "the first user's three pages, one page for every other user and nobody");
  assert.deepEqual(records[3].Lists, ["Empty"]);
  assert.deepEqual(records[4].Blocklist.map((b) => b.To_Account), [ids[5]]);
  assert.equal(records.at(-1).Error.code, 30003);
});

test("restoreUsers goes user by user: accounts made per chunk, each user reported once in input order, a second run writes nothing", async () => {
  const a = app(1400000102, ids);
  await a.client.importFriends(ids.map((u, i) => ({ From_Account: u, items: [1, 2, 3].map((k) => ({ To_Account: ids[(i + k) % ids.length], AddSource: "AddSource_Type_Test", Remark: `r${k}` })) })));
  await a.client.request("group_add", { From_Account: ids[7], GroupName: ["Empty"] });
  const snapshot = [];
  for await (const r of a.client.exportUsers(ids)) snapshot.push(r);
  snapshot.splice(5, 0, { From_Account: "broken", Friends: [], Lists: [], Blocklist: [], Error: { code: 70001, info: "x" } });

  // The target has only half the accounts: createAccounts makes the rest, chunk by chunk.
  const b = app(1400000103, ids.slice(0, 6));
  const progress = [];
  const report = await b.client.restoreUsers(snapshot, { createAccounts: true, batchSize: 4, concurrency: 3, onProgress: (p) => progress.push(p.users) });
  assert.equal(report.users, ids.length);
  assert.deepEqual(progress, ids.map((_, i) => i + 1), "onProgress once a user, in order");
  assert.deepEqual(report.skipped.map((s) => s.From_Account), ["broken"]);
  assert.deepEqual(report.missingAccounts, [], "accounts were created before their users were read");
  assert.ok(report.createdAccounts >= ids.length - 6, "each chunk imports its users and the accounts they name");
  assert.deepEqual(report.written, { lists: 1, blocks: 0, friends: 3 * ids.length, updates: 0 });
  assert.deepEqual(report.failed, []);
  assert.equal(b.sent[0], "im_open_login_svc/multiaccount_import", "the first chunk's accounts before any read");
  assert.equal(b.sent.filter((c) => c.endsWith("multiaccount_import")).length, 3, "one import a chunk of 4 records");

  for (const record of snapshot.filter((r) => !r.Error)) {
    const plan = await b.client.planRestoreUser(record);
    assert.equal(plan.writes, undefined, `${record.From_Account} needs nothing`);
  }
  const before = b.writes();
  const again = await b.client.restoreUsers(snapshot);
  assert.equal(b.writes(), before, "a second restore sends no write");
  assert.equal(again.changedUsers, 0);

  // A user the target does not have, without createAccounts: reported missing, planned against an empty chain.
  const c = app(1400000104, ids.slice(1));
  const plan = await c.client.planRestoreUser(snapshot[0]);
  assert.equal(plan.missing, true);
  assert.equal(plan.writes.import.length, 3);
  const dry = await c.client.restoreUsers(snapshot.slice(0, 3), { dryRun: true });
  assert.deepEqual(dry.missingAccounts, [ids[0]]);
  assert.deepEqual(dry.plan.map((w) => w.From_Account), ids.slice(0, 3));
  assert.equal(c.writes(), 0);
});
