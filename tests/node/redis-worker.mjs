// One worker process of the Redis tests and benchmark (never a test itself): it imports its
// shard's friends (users `s<shard>u<n>`, each with `items` friends) and, while that runs, sends
// single friend_import calls one after another, all through one SnsClient. With `redisUrl`, the
// client's rateLimiter is tim-sns/redis's shared budget (unless `limiter: false`) and, with
// `journalKey`, the run's journal is in Redis. Prints one JSON line: what the run reported.
//   node tests/node/redis-worker.mjs '{"base":"http://...","redisUrl":"redis://...","kind":"ioredis","shard":0,...}'
import { SnsClient, nodeHttpFetch } from "tim-sns";
import { redisRateLimiter, redisJournal } from "tim-sns/redis";
import { connect } from "./redis-server.mjs";

const cfg = JSON.parse(process.argv[2]);
const { base, redisUrl, kind = "ioredis", shard, users, items, rate = 200, share = 1, marginMs, prefix, journalKey, singles = true, limiter = true } = cfg;
const sdkAppId = 1400000000;

const conn = redisUrl ? await connect(kind, redisUrl) : null;
const rateLimiter = conn && limiter ? redisRateLimiter({ redis: conn.client, sdkAppId, ratePerSecond: rate, share, ...(prefix ? { prefix } : {}), ...(marginMs === undefined ? {} : { marginMs }) }) : undefined;
const journal = conn && journalKey ? redisJournal({ redis: conn.client, key: journalKey }) : undefined;
// When each call went out, on the wall clock the workers share (ms): what a server counting at
// arrival after a constant delay sees, without this machine's scheduling in between.
const sentAt = [];
const fetch = (url, init) => {
  sentAt.push(performance.timeOrigin + performance.now());
  return nodeHttpFetch(url, init);
};
const client = new SnsClient({ sdkAppId, identifier: "administrator", secretKey: "redis-test-key", baseUrl: base, rateLimitPerSecond: rate, timeoutMs: 15_000, rateLimiter, fetch });

const input = Array.from({ length: users }, (_, u) => ({
  From_Account: `s${shard}u${u}`,
  items: Array.from({ length: items }, (_, i) => ({ To_Account: `t${i}`, AddSource: "AddSource_Type_Test" })),
}));

// Loaded and connected: with `barrier`, wait for the parent's "go" (a line on stdin), so that
// no worker's start-up (compiling the wasm) competes for the CPU with another's calls.
if (cfg.barrier) {
  process.stdout.write(JSON.stringify({ ready: shard }) + "\n");
  await new Promise((ok) => process.stdin.once("data", ok));
  process.stdin.pause();
}
let running = true;
let sent = 0;
const singleErrors = [];
const loop = (async () => {
  while (running && singles) {
    try {
      await client.friendImport({ From_Account: `s${shard}single${sent}`, AddFriendItem: [{ To_Account: "t0", AddSource: "AddSource_Type_Test" }] });
    } catch (e) {
      singleErrors.push(e.message);
    }
    sent++;
  }
})();
let out;
try {
  const report = await client.importFriends(input, { journal });
  const outcomes = {};
  for (const i of report.items) outcomes[i.outcome] = (outcomes[i.outcome] ?? 0) + 1;
  const indices = new Set(report.items.map((i) => i.index));
  out = { shard, total: report.total, ok: report.ok, outcomes, reported: report.items.length, distinct: indices.size, stopped: report.stopped, lateStarts: rateLimiter?.lateStarts };
} catch (e) {
  out = { shard, error: e.message, reason: e.reason };
}
running = false;
await loop;
process.stdout.write(JSON.stringify({ ...out, singles: sent, singleErrors: singleErrors.slice(0, 3), sentAt }) + "\n");
conn?.close();
