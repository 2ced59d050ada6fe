// The emulator's HTTP server reads a request's bytes and decodes them once: a 1000-item
// friend_import with Chinese remarks, written a few bytes at a time so that characters are split
// between chunks, is stored exactly.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { genUserSig } from "tim-sns";
import { APP, KEY, clientFor, importAccounts, startEmulator } from "./helpers.mjs";

const FRIENDS = Array.from({ length: 1000 }, (_, i) => `c${String(i).padStart(4, "0")}`);
let emu;
before(async () => {
  emu = await startEmulator(["--quiet"]);
  await importAccounts(clientFor(emu.base), ["owner", ...FRIENDS]);
});
after(() => emu?.stop());

test("a 1000-item import with CJK remarks sent in 7-byte chunks is stored exactly", async () => {
  const remark = (i) => `朋友第${i}号：张三、李四😀`;
  const body = Buffer.from(JSON.stringify({
    From_Account: "owner",
    AddFriendItem: FRIENDS.map((To_Account, i) => ({ To_Account, AddSource: "AddSource_Type_Import", Remark: remark(i) })),
  }));
  const sig = genUserSig({ sdkAppId: APP, secretKey: KEY, identifier: "administrator" });
  const url = `${emu.base}/v4/sns/friend_import?sdkappid=${APP}&identifier=administrator&usersig=${sig}&random=1&contenttype=json`;
  const reply = await new Promise((ok, fail) => {
    const req = request(url, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => ok(JSON.parse(Buffer.concat(chunks).toString("utf8"))));
    });
    req.on("error", fail);
    // 7 bytes at a time: a 3- or 4-byte UTF-8 character is cut in most chunks. Each write is
    // flushed (Nagle off) so the server sees many small chunks, not one.
    req.setNoDelay(true);
    let at = 0;
    const next = () => {
      if (at >= body.length) return req.end();
      const chunk = body.subarray(at, at + 7);
      at += 7;
      if (req.write(chunk)) setImmediate(next);
      else req.once("drain", next);
    };
    next();
  });
  assert.equal(reply.ActionStatus, "OK", JSON.stringify(reply).slice(0, 300));
  assert.ok(reply.ResultItem.every((r) => r.ResultCode === 0));
  const client = clientFor(emu.base);
  const stored = new Map();
  for (let start = 0; ; ) {
    const page = await client.request("friend_get", { From_Account: "owner", StartIndex: start });
    for (const f of page.UserDataItem ?? []) stored.set(f.To_Account, f.ValueItem.find((v) => v.Tag === "Tag_SNS_IM_Remark")?.Value);
    if (page.CompleteFlag === 1 || !page.NextStartIndex) break;
    start = page.NextStartIndex;
  }
  assert.equal(stored.size, 1000);
  FRIENDS.forEach((f, i) => assert.equal(stored.get(f), remark(i), f));
});
