// Export two users from one app, restore them into another, and check the copy.
import { SnsClient } from "tim-sns/node";
import { Emulator } from "tim-sns/emulator";

function app(sdkAppId: number, users: string[]): SnsClient {
  const emulator = new Emulator({ sdkAppId, secretKey: "example-key" });
  emulator.importAccounts(users);
  return new SnsClient({ sdkAppId, identifier: "administrator", secretKey: "example-key", baseUrl: "http://emulator.local", fetch: emulator.fetch });
}

async function main(): Promise<void> {
  const source = app(1400000001, ["alice", "bob", "carol"]);
  await source.friendImport({ From_Account: "alice", AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Sync", Remark: "Bob" }] });
  await source.blackListAdd({ From_Account: "bob", To_Account: ["carol"] });
  const target = app(1400000002, []);
  const records = [];
  for await (const record of source.exportUsers(["alice", "bob"])) records.push(record);
  const report = await target.restoreUsers(records, { createAccounts: true });
  console.log("restored:", report.written, "failed:", report.failed.length);
  for await (const diff of target.diffUsers(records)) console.log("diff", diff.From_Account, JSON.stringify(diff));
}

void main();
