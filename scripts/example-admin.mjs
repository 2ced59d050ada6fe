// A Node admin script against the embedded emulator (no Tencent account): import accounts, add
// friends, page through them, bulk-import with progress and a few injected faults.
import { SnsClient, explainError } from "tim-sns";
import { Emulator } from "tim-sns/emulator";

const sdkAppId = 1400000000;
const secretKey = "demo-key-for-the-emulator";
const emulator = new Emulator({ sdkAppId, secretKey, seed: 42, faults: { http502: 0.05, request30008: 0.03 } });
const client = new SnsClient({
  sdkAppId, identifier: "administrator", secretKey, baseUrl: "https://emulator.local", fetch: emulator.fetch,
  retries: { retries: 3, baseMs: 5, maxMs: 50 },
});

emulator.importAccounts(["alice", "bob", "carol", ...Array.from({ length: 300 }, (_, i) => `fan${i}`)]);
emulator.setAllowType("bob", "AllowType_Type_AllowAny");

const added = await client.friendAdd({
  From_Account: "alice",
  AddFriendItem: [
    { To_Account: "bob", AddSource: "AddSource_Type_Web", Remark: "Bob" },
    { To_Account: "carol", AddSource: "AddSource_Type_Web" },
  ],
});
for (const item of added.ResultItem) {
  console.log(`friend_add alice -> ${item.To_Account}: ${item.outcome}${item.outcome === "ok" ? "" : ` (${explainError(item.ResultCode).name})`}`);
}

const report = await client.importFriends(
  { From_Account: "alice", items: Array.from({ length: 300 }, (_, i) => ({ To_Account: `fan${i}`, AddSource: "AddSource_Type_Import" })) },
  { onProgress: ({ done, total, failed }) => console.log(`import: ${done}/${total} done, ${failed} failed`) },
);
console.log(`import: ${report.ok} ok, ${report.pending} pending, ${report.failed} failed`);

let pages = 0, friends = 0;
for await (const page of client.friendGetPages({ From_Account: "alice" })) {
  pages++;
  friends += page.UserDataItem?.length ?? 0;
}
console.log(`friend_get: alice has ${friends} friends over ${pages} pages`);
console.log("preview:", client.preview("friend_delete", { From_Account: "alice", To_Account: ["bob"] }).curl);
