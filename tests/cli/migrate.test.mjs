// Migration over real loopback HTTP between `tim-sns emulator` processes: a reproducible graph
// of 320 users in app A → export → restore into app B → B exports the same records, the diff is
// empty and a second restore sends no write. Then the same through the CLI, with --dry-run and
// with faults on the target.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { SnsClient } from "tim-sns";

const BIN = fileURLToPath(new URL("../../node_modules/.bin/tim-sns", import.meta.url));
const KEY = "migrate-test-key";
const USERS = Array.from({ length: 320 }, (_, i) => `u${String(i).padStart(3, "0")}`);
const WRITES = /\/v4\/sns\/(friend_import|friend_add|friend_update|friend_delete|group_add|group_delete|black_list_add|black_list_delete)\?/;
const dir = mkdtempSync(join(tmpdir(), "tim-sns-migrate-"));
const servers = [];

/** A `tim-sns emulator` on a free port; `log` collects its request lines. */
async function emulator(app, extra = []) {
  const child = spawn(BIN, ["emulator", "--port", "0", "--key", KEY, "--sdkappid", String(app), ...extra], { stdio: ["ignore", "pipe", "inherit"] });
  servers.push(child);
  const log = [];
  const base = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("emulator did not start")), 15000);
    child.stdout.on("data", (c) => {
      const text = String(c);
      log.push(...text.split("\n").filter((l) => l.includes(" POST ")));
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
  });
  return { app, base, log, writes: () => log.filter((l) => WRITES.test(l)).length };
}
const clientOf = (e) => new SnsClient({ sdkAppId: e.app, identifier: "administrator", secretKey: KEY, baseUrl: e.base });
const env = (e) => ({ ...process.env, TIM_SDKAPPID: String(e.app), TIM_IDENTIFIER: "administrator", TIM_SECRET_KEY: KEY, TIM_BASE_URL: e.base });
const run = (args, e) => promisify(execFile)(BIN, args, { env: env(e), maxBuffer: 64 << 20 }).then((r) => ({ code: 0, ...r }), (err) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }));

/** mulberry32: the same graph on every run. */
function rng(seed) {
  return (n) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
}
const REMARKS = ["老王", "同事 小李", "がんばって", "Bob", "👋 朋友"];

async function seed(client) {
  const r = rng(20261202);
  for (let i = 0; i < USERS.length; i += 100) await client.request("im_open_login_svc/multiaccount_import", { Accounts: USERS.slice(i, i + 100) });
  const twoWay = [];
  for (const [i, user] of USERS.entries()) {
    const lists = Array.from({ length: r(5) }, (_, k) => `列表${k}`);
    if (lists.length) await client.groupAdd({ From_Account: user, GroupName: lists });
    const count = i === 0 ? 140 : r(10);
    const seen = new Set([user]);
    const items = [];
    for (let k = 0; k < count; k++) {
      const to = USERS[r(USERS.length)];
      if (seen.has(to)) continue;
      seen.add(to);
      const item = { To_Account: to, AddSource: ["AddSource_Type_Web", "AddSource_Type_Android"][r(2)], AddTime: 1_600_000_000 + r(1_000_000) };
      if (r(2)) Object.assign(item, { Remark: REMARKS[r(REMARKS.length)], RemarkTime: 1_650_000_000 + r(1000) });
      const member = lists.filter(() => r(2));
      if (member.length) item.GroupName = member;
      if (!r(3)) item.AddWording = "你好";
      if (!r(3)) item.CustomItem = [{ Tag: "Tag_SNS_Custom_Lvl", Value: r(100) }, { Tag: "Tag_SNS_Custom_Nick", Value: "n" }];
      if (!r(3)) twoWay.push([to, user]);
      items.push(item);
    }
    if (items.length) await client.importFriends({ From_Account: user, items });
  }
  // The other side of two-way pairs (30001 where it is already there).
  await client.importFriends(twoWay.map(([from, to]) => ({ From_Account: from, items: [{ To_Account: to, AddSource: "AddSource_Type_Web" }] })));
  for (let i = 0; i < USERS.length; i += 9) await client.blackListAdd({ From_Account: USERS[i], To_Account: [USERS[(i * 7 + 3) % USERS.length]] });
}

async function all(iterable) {
  const out = [];
  for await (const x of iterable) out.push(x);
  return out;
}
const stripTimes = (r) => ({ ...r, Blocklist: r.Blocklist.map(({ To_Account }) => ({ To_Account })) });
const isEmpty = (d) => ["missingFriends", "extraFriends", "differentFriends", "missingLists", "extraLists", "missingBlocks", "extraBlocks"].every((k) => d[k].length === 0);

let a, snapshot;
before(async () => {
  a = await emulator(1400000001, ["--quiet"]);
  await seed(clientOf(a));
  snapshot = await all(clientOf(a).exportUsers(USERS));
});
after(() => servers.forEach((s) => s.kill()));

test("export → restore → export round-trips 320 users between two emulators, and a second restore writes nothing", async () => {
  assert.equal(snapshot.length, USERS.length);
  assert.ok(snapshot[0].Friends.length > 100, "the first user's friends span several friend_get pages");
  assert.ok(snapshot.some((r) => r.Lists.some((l) => !r.Friends.some((f) => f.GroupName?.includes(l)))), "empty lists are exported");
  assert.ok(snapshot.some((r) => r.Friends.some((f) => f.Remark && /[^\x00-\x7f]/.test(f.Remark) && f.RemarkTime && f.CustomItem && f.AddWording && f.GroupName?.length > 1)));
  assert.ok(snapshot.some((r) => r.Blocklist.length) && snapshot.every((r) => !r.Error));

  const b = await emulator(1400000002); // starts with no accounts: createAccounts imports them
  const report = await clientOf(b).restoreUsers(snapshot, { createAccounts: true });
  assert.deepEqual(report.failed, []);
  assert.equal(report.written.friends, snapshot.reduce((n, r) => n + r.Friends.length, 0));
  const again = await all(clientOf(b).exportUsers(USERS));
  assert.deepEqual(again.map(stripTimes), snapshot.map(stripTimes));
  const diffs = await all(clientOf(b).diffUsers(snapshot));
  assert.ok(diffs.every(isEmpty), JSON.stringify(diffs.find((d) => !isEmpty(d))));

  const before = b.writes();
  const second = await clientOf(b).restoreUsers(snapshot);
  assert.equal(second.changedUsers, 0);
  assert.equal(b.writes(), before, "a second restore sends no write");
});

test("exportUser: one user's record; a user the service does not know is a record with its Error; bad options throw", async () => {
  const client = clientOf(a);
  const one = await client.exportUser(USERS[0], { customTags: ["Tag_SNS_Custom_Lvl"] });
  const whole = snapshot[0];
  assert.deepEqual(one.Friends.map((f) => f.To_Account), whole.Friends.map((f) => f.To_Account));
  assert.ok(one.Friends.every((f) => (f.CustomItem ?? []).every((c) => c.Tag === "Tag_SNS_Custom_Lvl")), "only the asked-for custom tags");
  const missing = await client.exportUser("nobody-here");
  assert.equal(missing.From_Account, "nobody-here");
  assert.equal(missing.Error.code, 30003, JSON.stringify(missing));
  assert.deepEqual([missing.Friends, missing.Lists, missing.Blocklist], [[], [], []]);
  await assert.rejects(client.exportUser(USERS[0], { customTags: "Tag_SNS_Custom_Lvl" }), (e) => e.name === "ValidationError" && /options\.customTags/.test(e.message));
  await assert.rejects(client.exportUser(USERS[0], { call: { retries: 99 } }), (e) => e.name === "ValidationError" && /retries/.test(e.message));
});

test("the CLI: export, restore --dry-run (no writes), restore, diff; a faulty target leaves a failed-items file", async () => {
  const file = join(dir, "snapshot.jsonl");
  writeFileSync(join(dir, "users.txt"), USERS.join("\n") + "\n");
  const exp = await run(["export", "--users", join(dir, "users.txt"), "--out", file], a);
  assert.equal(exp.code, 0, exp.stderr);
  assert.match(exp.stdout, /exported 320 of 320 users/);
  const lines = readFileSync(file, "utf8").trim().split("\n");
  assert.equal(JSON.parse(lines[0]).format, "tim-sns-snapshot");
  assert.deepEqual(lines.slice(1).map((l) => JSON.parse(l)).map(stripTimes), snapshot.map(stripTimes));

  const c = await emulator(1400000003, ["--users", USERS.join(",")]);
  const dry = await run(["restore", file, "--dry-run"], c);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /dry run: \d+ of 320 users need writes; nothing was written/);
  assert.equal(c.writes(), 0, "a dry run sends no write");
  const real = await run(["restore", file], c);
  assert.equal(real.code, 0, real.stdout + real.stderr);
  const diff = await run(["diff", file], c);
  assert.equal(diff.code, 0, diff.stdout);
  assert.match(diff.stdout, /all 320 users match the snapshot/);

  const d = await emulator(1400000004, ["--users", USERS.join(","), "--faults", "http502=0.9", "--seed", "7", "--quiet"]);
  const failedFile = join(dir, "failed.jsonl");
  const faulty = await run(["restore", file, "--failed", failedFile], d);
  assert.equal(faulty.code, 1, faulty.stdout);
  assert.ok(existsSync(failedFile));
  const failed = readFileSync(failedFile, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  assert.ok(failed.length > 0 && failed.every((f) => f.command && f.From_Account && ["failed", "unknown"].includes(f.outcome)));
});
