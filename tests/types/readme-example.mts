// README's example, word for word (a test: it must compile under tsc --init's defaults).
import { SnsClient, ApiError, type BulkProgress } from "tim-sns";
import { Emulator } from "tim-sns/emulator";

// An emulator in this process: no Tencent account needed. For the real service, leave out
// `baseUrl` and `fetch`, and give your `region` and secret key.
const emulator = new Emulator({ sdkAppId: 1400000000, secretKey: "demo-key" });
emulator.importAccounts(["alice", "bob", "carol"]);
const client = new SnsClient({ sdkAppId: 1400000000, identifier: "administrator", secretKey: "demo-key", baseUrl: "http://emulator.local", fetch: emulator.fetch });

const added = await client.friendImport({ From_Account: "alice", AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Web" }] });
console.log(added.ResultItem?.[0]?.outcome);                      // "ok"

const report = await client.importFriends({ From_Account: "carol", items: [{ To_Account: "alice", AddSource: "AddSource_Type_Web" }] },
  { onProgress: (p: BulkProgress) => console.log(`${p.done}/${p.total}`) });
console.log(report.ok, report.already, report.failed);           // 1 0 0

try {
  await client.friendCheck({ From_Account: "alice", To_Account: ["bob"], CheckType: "CheckResult_Type_Both" });
} catch (e) {
  if (e instanceof ApiError) console.error(e.errorCode, e.codeName, e.hint);
  else throw e;
}
