// tim-sns webhook listen fed by tim-sns emulator --webhook, both as real processes on loopback:
// a scripted REST session and simulated client requests arrive verified, none for friend_import,
// and refused requests are reported with their reason.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SnsClient } from "tim-sns";
import { webhookSign } from "tim-sns/webhook";

const BIN = fileURLToPath(new URL("../../node_modules/.bin/tim-sns", import.meta.url));
const KEY = "cli-webhook-key";
const TOKEN = "cli-webhook-token";
const children = [];

/** Starts `tim-sns ...args`, resolves with its URL and the lines it prints. */
function start(args, pattern) {
  const child = spawn(BIN, args, { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  const lines = [];
  return new Promise((ok, fail) => {
    child.stdout.setEncoding("utf8");
    let rest = "";
    child.stdout.on("data", (chunk) => {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop();
      lines.push(...parts);
      const m = parts.map((l) => pattern.exec(l)).find(Boolean);
      if (m) ok({ url: m[1], lines });
    });
    child.on("exit", (code) => fail(new Error(`tim-sns ${args[0]} exited with ${code}`)));
  });
}

let listener, emulator;
before(async () => {
  listener = await start(["webhook", "listen", "--port", "0", "--token", TOKEN, "--sdkappid", "1400000000", "--json"], /listening on (http:\/\/127\.0\.0\.1:\d+\/)/);
  emulator = await start(["emulator", "--port", "0", "--key", KEY, "--users", "alice,bob,carol,dave", "--quiet",
    "--webhook", `${listener.url}im/callback`, "--webhook-token", TOKEN], /listening on (http:\/\/127\.0\.0\.1:\d+)/);
});
after(() => children.forEach((c) => c.kill()));

const until = async (what, ok) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(ok(), `timed out waiting for ${what}`);
};

test("the emulator's callbacks arrive verified at tim-sns webhook listen, none for friend_import", async () => {
  const client = new SnsClient({ sdkAppId: 1400000000, identifier: "administrator", secretKey: KEY, baseUrl: emulator.url });
  for (const u of ["alice", "bob", "carol"]) {
    await client.request("profile/portrait_set", { From_Account: u, ProfileItem: [{ Tag: "Tag_Profile_IM_AllowType", Value: "AllowType_Type_AllowAny" }] });
  }
  await client.friendAdd({ From_Account: "alice", AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Web" }] });
  await client.friendImport({ From_Account: "dave", AddFriendItem: [{ To_Account: "alice", AddSource: "AddSource_Type_Import" }] });
  await client.friendDelete({ From_Account: "alice", To_Account: ["bob"], DeleteType: "Delete_Type_Both" });
  await client.blackListAdd({ From_Account: "alice", To_Account: ["dave"] });
  await client.blackListDelete({ From_Account: "alice", To_Account: ["dave"] });
  const simulated = await fetch(`${emulator.url}/_emulator/client/friend_add`, { method: "POST",
    body: JSON.stringify({ From_Account: "carol", AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Android" }] }) });
  const reply = await simulated.json();
  assert.deepEqual([reply.ResultItem[0].ResultCode, reply.prevCallback.verdict], [0, "answered"]);
  const received = () => listener.lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l)).filter((l) => l.command);
  await until("7 callbacks", () => received().length >= 7);
  // Each callback is its own HTTP request, so they may arrive in any order; the order they are
  // sent in is the emulator core's, tested natively (tests/emulator_callbacks.rs).
  assert.deepEqual(received().map((l) => l.command).sort(), ["Sns.CallbackFriendAdd", "Sns.CallbackFriendDelete", "Sns.CallbackBlackListAdd",
    "Sns.CallbackFriendDelete", "Sns.CallbackBlackListDelete", "Sns.CallbackPrevFriendAdd", "Sns.CallbackFriendAdd"].sort());
  assert.ok(received().every((l) => l.signatureChecked));
  const firstAdd = received().find((l) => l.command === "Sns.CallbackFriendAdd" && l.callback.PairList.some((p) => p.From_Account === "alice"));
  assert.deepEqual(firstAdd.callback.PairList.map((p) => p.To_Account), ["bob", "alice"]);
  // The listener prints a callback before the emulator records its delivery as done: wait for
  // the record, not for the line.
  let log = [];
  const delivered = () => log.length === 7 && log.every((c) => c.delivery.state === "delivered");
  for (let i = 0; i < 200 && !delivered(); i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 25));
    log = await (await fetch(`${emulator.url}/_emulator/callbacks`)).json();
  }
  assert.equal(log.length, 7);
  assert.ok(log.every((c) => c.delivery.state === "delivered"), JSON.stringify(log.map((c) => c.delivery)));
});

test("a forged request is refused and reported with its reason", async () => {
  const now = String(Math.floor(Date.now() / 1000));
  const r = await fetch(`${listener.url}?SdkAppid=1400000000&CallbackCommand=Sns.CallbackFriendAdd&Sign=${webhookSign("guess", now)}&RequestTime=${now}`,
    { method: "POST", body: '{"CallbackCommand":"Sns.CallbackFriendAdd","PairList":[]}' });
  assert.equal(r.status, 401);
  await until("the refusal line", () => listener.lines.some((l) => l.includes('"refused":"bad-signature"')));
});
