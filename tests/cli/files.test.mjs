// `tim-sns` bulk commands with real files against `tim-sns emulator`, checked against the
// emulator's state: an Excel-style CSV (BOM, CRLF, quoted commas, quotes and line breaks, CJK),
// a GBK file, a pairs file of 200 users × 50 friends, a file with bad rows, and the other bulk
// writes (block, unblock, delete-friends) from a pairs file.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { clientFor, envFor, friendsOf, importAccounts, run, startEmulator, tempDir } from "./helpers.mjs";

const USERS = Array.from({ length: 250 }, (_, i) => `u${String(i).padStart(3, "0")}`);
let emu, client, env;
const dir = tempDir("files");
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

before(async () => {
  emu = await startEmulator(["--quiet"]);
  client = clientFor(emu.base);
  env = envFor(emu.base);
  await importAccounts(client, [...USERS, "alice", "bob", "carol", "dave", "erin", "frank"]);
});
after(() => emu?.stop());

test("an Excel-style CSV: BOM, CRLF, header in another order, quoted commas, quotes, line breaks and CJK", async () => {
  const file = join(dir, "excel.csv");
  const text = [
    "Remark,GroupName,To_Account,AddTime",
    '"Smith, Bob",同事,bob,1700000000',
    '"张三 ""老三""",朋友,carol,',
    '"第一行\r\n第二行",,dave,',
    "",
  ].join("\r\n");
  writeFileSync(file, Buffer.concat([BOM, Buffer.from(text)]));
  const r = await run(["import-friends", "--from", "alice", "--file", file], env);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /imported 3 of 3 friends for 1 user/);
  const friends = await friendsOf(client, "alice");
  assert.deepEqual(Object.keys(friends).sort(), ["bob", "carol", "dave"], "the header row is not a friend");
  assert.equal(friends.bob.Tag_SNS_IM_Remark, "Smith, Bob");
  assert.deepEqual(friends.bob.Tag_SNS_IM_Group, ["同事"]);
  assert.equal(friends.bob.Tag_SNS_IM_AddTime, 1700000000);
  assert.equal(friends.carol.Tag_SNS_IM_Remark, '张三 "老三"');
  assert.equal(friends.dave.Tag_SNS_IM_Remark, "第一行\n第二行");
});

test("a GBK file with --encoding gbk; without it, one line naming the file, the line and the flag", async () => {
  const file = join(dir, "gbk.csv");
  // "To_Account,Remark\r\nerin,张三\r\nfrank,李四\r\n" as GBK (张三 = D5C5 C8FD, 李四 = C0EE CBC4).
  writeFileSync(file, Buffer.concat([Buffer.from("To_Account,Remark\r\nerin,"), Buffer.from("d5c5c8fd", "hex"), Buffer.from("\r\nfrank,"), Buffer.from("c0eecbc4", "hex"), Buffer.from("\r\n")]));
  const refused = await run(["import-friends", "--from", "bob", "--file", file], env);
  assert.equal(refused.code, 4);
  assert.equal(refused.stderr, `tim-sns: ${file}:2: not valid utf-8: if it was saved as GBK (Chinese Excel, WPS), add --encoding gbk; otherwise --encoding NAME\n`);
  const r = await run(["import-friends", "--from", "bob", "--file", file, "--encoding", "gbk"], env);
  assert.equal(r.code, 0, r.stderr);
  const friends = await friendsOf(client, "bob");
  assert.equal(friends.erin.Tag_SNS_IM_Remark, "张三");
  assert.equal(friends.frank.Tag_SNS_IM_Remark, "李四");
});

test("a pairs file of 200 users × 50 friends in one run, checked against the emulator's state", async () => {
  const file = join(dir, "pairs.csv");
  const from = USERS.slice(0, 200);
  const lines = ["From_Account,To_Account,Remark"];
  const expected = new Map();
  for (const [i, user] of from.entries()) {
    const friends = Array.from({ length: 50 }, (_, k) => USERS[(i + 1 + k * 3) % USERS.length]).filter((f) => f !== user);
    expected.set(user, friends);
    for (const f of friends) lines.push(`${user},${f},"备注 ${user}→${f}, ok"`);
  }
  writeFileSync(file, lines.join("\n") + "\n");
  const total = lines.length - 1;
  const r = await run(["import-friends", "--file", file, "--json"], env);
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.deepEqual([summary.users, summary.total, summary.ok, summary.failed, summary.badRows.length], [200, total, total, 0, 0]);
  for (const [user, friends] of expected) {
    const got = await friendsOf(client, user);
    assert.deepEqual(Object.keys(got).sort(), [...friends].sort(), user);
    for (const f of friends) assert.equal(got[f].Tag_SNS_IM_Remark, `备注 ${user}→${f}, ok`);
  }
});

test("bad rows: each reported as file:line with the reason, the good rows imported, the failed items fed back", async () => {
  const file = join(dir, "bad.csv");
  writeFileSync(file, [
    "From_Account,To_Account,Remark,AddTime",
    "u210,u211,good one,",           // 2
    "u210,,no target,",              // 3
    "u210,u212,x,yesterday",         // 4
    "u210,u213,a,1,surplus",         // 5
    ",u214,no user,",                // 6
    "u210,nobody,not an account,",   // 7 (read fine; the service refuses it)
    'u210,u215,"multi',              // 8
    'line remark",',                 // 9
    'u210,u216,"never closed,',      // 10
    "",
  ].join("\n"));
  const r = await run(["import-friends", "--file", file], env);
  assert.equal(r.code, 1);
  const reported = r.stderr.split("\n").filter((l) => l.startsWith(`${file}:`));
  assert.deepEqual(reported, [
    `${file}:3: no To_Account`,
    `${file}:4: AddTime "yesterday" is not a whole number of seconds`,
    `${file}:5: 5 cells, but only 4 columns are known (From_Account, To_Account, Remark, AddTime)`,
    `${file}:6: no From_Account: add the column, or --from USER for a file of one user's rows`,
    `${file}:10: bad CSV: a quoted field opens here and never closes`,
  ]);
  assert.match(r.stdout, /imported 2 of 3 friends for 1 user: .* 1 failed.*; 5 bad rows skipped/);
  assert.match(r.stdout, new RegExp(`${file}:7: u210 → nobody: failed 30003`));
  const friends = await friendsOf(client, "u210");
  assert.equal(friends.u211.Tag_SNS_IM_Remark, "good one");
  assert.equal(friends.u215.Tag_SNS_IM_Remark, "multi\nline remark");
  const failed = readFileSync(`${file}.failed.jsonl`, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(failed, [{ From_Account: "u210", AddSource: "AddSource_Type_Import", Remark: "not an account", To_Account: "nobody" }]);
  // The failed-items file is input as it stands (JSON Lines, with its users).
  const again = await run(["import-friends", "--file", `${file}.failed.jsonl`, "--failed", join(dir, "again.jsonl")], env);
  assert.equal(again.code, 1);
  assert.match(again.stdout, /imported 0 of 1 friends for 1 user/);
});

test("JSON Lines: every bad line with its number", async () => {
  const file = join(dir, "bad.jsonl");
  writeFileSync(file, '{"From_Account":"u220","To_Account":"u221"}\r\n{"From_Account":"u220",\r\n\r\n[1,2]\r\n{"From_Account":"u220","To_Account":"u222","AddTime":"soon"}\r\n');
  const r = await run(["import-friends", "--file", file], env);
  assert.equal(r.code, 1);
  const reported = r.stderr.split("\n").filter((l) => l.startsWith(`${file}:`));
  assert.equal(reported.length, 3, r.stderr);
  assert.match(reported[0], new RegExp(`^${file}:2: not JSON: `));
  assert.equal(reported[1], `${file}:4: not a JSON object`);
  assert.match(reported[2], new RegExp(`^${file}:5: `), "a mistyped field is that row's failure");
  assert.deepEqual(Object.keys(await friendsOf(client, "u220")), ["u221"]);
});

test("block, unblock and delete-friends take the same pairs files", async () => {
  const file = join(dir, "block.csv");
  writeFileSync(file, "From_Account,To_Account\nu230,u231\nu230,u232\nu233,u231\n");
  const blocked = await run(["block", "--file", file], env);
  assert.equal(blocked.code, 0, blocked.stderr);
  assert.match(blocked.stdout, /blocked 3 of 3 users for 2 users/);
  const list = async (user) => ((await client.request("black_list_get", { From_Account: user, StartIndex: 0, MaxLimited: 100, LastSequence: 0 })).BlackListItem ?? []).map((b) => b.To_Account).sort();
  assert.deepEqual(await list("u230"), ["u231", "u232"]);
  const unblock = join(dir, "unblock.jsonl");
  writeFileSync(unblock, '{"From_Account":"u230","To_Account":"u232"}\n');
  assert.equal((await run(["unblock", "--file", unblock], env)).code, 0);
  assert.deepEqual(await list("u230"), ["u231"]);

  const pairs = join(dir, "friends.csv");
  // Headerless: From_Account,To_Account[,Remark,GroupName,AddSource], as the issue writes a pairs file.
  writeFileSync(pairs, "u240,u241,老同学,高中,AddSource_Type_Web\nu240,u242\n");
  assert.equal((await run(["import-friends", "--file", pairs], env)).code, 0);
  const del = join(dir, "delete.csv");
  writeFileSync(del, "To_Account\nu242\n");
  const r = await run(["delete-friends", "--from", "u240", "--file", del, "--delete-type", "single"], env);
  assert.equal(r.code, 0, r.stderr);
  const left = await friendsOf(client, "u240");
  assert.deepEqual(Object.keys(left), ["u241"]);
  assert.deepEqual([left.u241.Tag_SNS_IM_Remark, left.u241.Tag_SNS_IM_Group, left.u241.Tag_SNS_IM_AddSource], ["老同学", ["高中"], "AddSource_Type_Web"]);
});

test("add-friends: AddSource from a column or --add-source, a row without either is a bad row; --force and --add-type", async () => {
  const file = join(dir, "add.csv");
  writeFileSync(file, "From_Account,To_Account,AddSource,GroupName\nu243,u244,AddSource_Type_Web,同学\nu243,u245,,\n");
  const r = await run(["add-friends", "--file", file, "--force", "--add-type", "single"], env);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.split("\n").filter((l) => l.startsWith(file)).join("\n"), `${file}:3: no AddSource: add the column, or --add-source AddSource_Type_XXX`);
  const friends = await friendsOf(client, "u243");
  assert.deepEqual(Object.keys(friends), ["u244"]);
  assert.equal(friends.u244.Tag_SNS_IM_AddSource, "AddSource_Type_Web");
  assert.deepEqual(friends.u244.Tag_SNS_IM_Group, ["同学"]);
  assert.deepEqual(Object.keys(await friendsOf(client, "u244")), [], "Add_Type_Single: one way");
  const withFlag = await run(["add-friends", "--file", file, "--force", "--add-source", "AddSource_Type_Android", "--failed", join(dir, "add.failed.jsonl"), "--journal", join(dir, "add2.journal")], env);
  assert.equal(withFlag.code, 0, withFlag.stderr + withFlag.stdout);
  assert.match(withFlag.stdout, /added 1 of 2 friends for 1 user: 1 already so/, "u244 was added by the first run");
  assert.equal((await friendsOf(client, "u243")).u245.Tag_SNS_IM_AddSource, "AddSource_Type_Android");
});
