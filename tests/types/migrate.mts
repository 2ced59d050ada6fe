// tim-sns in Node under tsc --strict: the migration methods are typed on its SnsClient, and
// records, diffs and reports have their exact shapes.
import { SnsClient, snapshotHeader, nodeHttpFetch, type UserRecord, type RestoreReport } from "tim-sns";

const client = new SnsClient({ sdkAppId: 1400000000, identifier: "administrator", secretKey: "k", baseUrl: "http://127.0.0.1:8080" });
// The node:http fetch fits SnsClient's fetch option.
const overHttp = new SnsClient({ sdkAppId: 1400000000, identifier: "administrator", secretKey: "k", fetch: nodeHttpFetch });
void overHttp;
const header = snapshotHeader(1400000000);
const version: number = header.version;

async function main(): Promise<void> {
  const records: UserRecord[] = [];
  for await (const r of client.exportUsers(["alice"], { customTags: ["Tag_SNS_Custom_Lvl"] })) {
    const first: string | undefined = r.Friends?.[0]?.AddSource;
    const code: number | undefined = r.Error?.code;
    records.push(r);
    void first, code;
  }
  const one: UserRecord = await client.exportUser("alice", { customTags: ["Tag_SNS_Custom_Lvl"], call: { timeoutMs: 5000 } });
  records.push(one);
  // @ts-expect-error: customTags is a list of tag names
  await client.exportUser("alice", { customTags: "Tag_SNS_Custom_Lvl" });
  for await (const d of client.diffUsers(records)) {
    const missing: string[] = d.missingFriends.map((f) => f.To_Account);
    void missing;
  }
  const report: RestoreReport = await client.restoreUsers(records, { dryRun: true, createAccounts: false });
  const planned: number | undefined = report.plan?.[0]?.import.length;
  void planned;
  // @ts-expect-error: dryRun is a boolean
  await client.restoreUsers(records, { dryRun: "yes" });
  // @ts-expect-error: records need From_Account
  await client.restoreUsers([{ Friends: [] }]);
}
void main, version;
