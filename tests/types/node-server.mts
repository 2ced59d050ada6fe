// A Node admin script and webhook server as users write them, with @types/node: node:http's
// createServer takes the webhook handler, and the Node API (bulk helpers, their types) is there.
// Compiled under TypeScript 7's `tsc --init` defaults (tsconfig.init.json) and under
// moduleResolution "bundler" through the `tim-sns/node` entry (tsconfig.bundler-node.json).
import { createServer } from "node:http";
import { webhookHandler } from "tim-sns/webhook";
import { SnsClient, type BulkProgress, type BulkReport } from "tim-sns/node";

createServer(webhookHandler({ sdkAppId: 1400000000, token: process.env["TIM_CALLBACK_TOKEN"] ?? null, on: {} })).listen(0);

const client = new SnsClient({ sdkAppId: 1400000000, identifier: "administrator", secretKey: "k" });
const progress = (p: BulkProgress): void => console.log(p.done, p.total);
const report: BulkReport = await client.importFriends([{ From_Account: "alice", items: [{ To_Account: "bob", AddSource: "AddSource_Type_Web" }] }], { onProgress: progress });
const first = report.items[0];
console.log(report.ok, first?.outcome);
