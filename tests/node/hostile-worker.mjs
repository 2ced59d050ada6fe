// The worker of tests/node/hostile.test.mjs: one addFriends run over the whole input with a
// journal file, through a hostile proxy. It is killed (SIGKILL) and started again by the test;
// the run that finishes writes its report next to the journal.
import { writeFileSync } from "node:fs";
import { SnsClient } from "tim-sns";

const [base, journal, users, perUser, key] = process.argv.slice(2);
const input = Array.from({ length: Number(users) }, (_, u) => ({
  From_Account: `user${u}`,
  items: Array.from({ length: Number(perUser) }, (_, i) => ({ To_Account: `target${i}`, AddSource: "AddSource_Type_Hostile" })),
}));
const client = new SnsClient({
  sdkAppId: 1400000000, identifier: "administrator", secretKey: key, baseUrl: base,
  // A held reply costs one timeout; many retries make "out of tries" vanishingly rare, so that
  // the test shows what the engine finishes, not what the dice did. The timeout is long enough
  // that only held replies meet it, also on a loaded machine (three processes share it here; at
  // 400 ms, reads timed out nine times in a row at a load average of 9).
  timeoutMs: 2000, retries: { retries: 8, baseMs: 1, maxMs: 20 },
});
const report = await client.addFriends(input, { journal, body: { AddType: "Add_Type_Single", ForceAddFlags: 1 } });
writeFileSync(`${journal}.report.json`, JSON.stringify(report));
