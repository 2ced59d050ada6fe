// Benchmark (not a test): bulk imports with default options through the Node build into
// `tim-sns emulator` over loopback HTTP, at 20 ms and 200 ms of injected latency per call, for
// 600 users × 20 items and 5 users × 2000 items. Prints the calls per second achieved against
// the bound: one user's writes are serial (30008 otherwise), so the bound is
// min(200 calls/s, users ÷ round trip), and how many replies were 60007 (rate limited).
// Run after building and installing the package: node scripts/bench-bulk.mjs
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SnsClient } from "tim-sns";

const BIN = fileURLToPath(new URL("../node_modules/.bin/tim-sns", import.meta.url));
const KEY = "bench-key";

async function run(latencyMs, users, items) {
  const server = spawn(BIN, ["emulator", "--port", "0", "--key", KEY, "--latency-ms", String(latencyMs), "--quiet"], { stdio: ["ignore", "pipe", "inherit"] });
  const base = await new Promise((ok) => server.stdout.on("data", (c) => { const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(String(c)); if (m) ok(m[1]); }));
  let calls = 0, rateLimited = 0;
  const client = new SnsClient({
    sdkAppId: 1400000000, identifier: "administrator", secretKey: KEY, baseUrl: base,
    onRequest: (e) => { if (e.command === "friend_import") calls++; },
    onError: (e) => { if (e.error?.errorCode === 60007) rateLimited++; },
  });
  const from = Array.from({ length: users }, (_, i) => `u${i}`);
  const to = Array.from({ length: items }, (_, i) => `t${i}`);
  const all = [...from, ...to];
  for (let i = 0; i < all.length; i += 100) await client.request("im_open_login_svc/multiaccount_import", { Accounts: all.slice(i, i + 100) });
  const t0 = performance.now();
  const report = await client.importFriends(from.map((u) => ({ From_Account: u, items: to.map((t) => ({ To_Account: t, AddSource: "AddSource_Type_Bench" })) })));
  const seconds = (performance.now() - t0) / 1000;
  server.kill();
  const bound = Math.min(200, users / (latencyMs / 1000));
  const rate = calls / seconds;
  console.log(`${String(latencyMs).padStart(3)} ms, ${users} users × ${items} items: ${report.total} items, ${calls} calls in ${seconds.toFixed(2)} s = ${rate.toFixed(1)} calls/s; bound ${bound.toFixed(0)}/s; ratio ${(rate / bound).toFixed(2)}; ${report.ok} ok, ${report.failed} failed; 60007 replies: ${rateLimited}`);
}

console.log(`node ${process.version}; friend_import takes 1000 items a call; default options`);
for (const latency of [20, 200]) {
  await run(latency, 600, 20);
  await run(latency, 5, 2000);
}
