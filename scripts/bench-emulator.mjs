// Benchmark (not a test): a bulk friend_add through SnsClient into `tim-sns emulator` over real
// loopback HTTP, with 20 ms of injected latency per call. Reports the calls per second achieved
// against the service's 200 calls/s limit, and how many replies were 60007 (rate limited).
// Run after building and installing the package: node scripts/bench-emulator.mjs
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SnsClient } from "tim-sns";

const BIN = fileURLToPath(new URL("../node_modules/.bin/tim-sns", import.meta.url));
const KEY = "bench-key";
const USERS = 50, TARGETS = 1000; // friend_add takes 100 items a call: 500 calls

const server = spawn(BIN, ["emulator", "--port", "0", "--key", KEY, "--latency-ms", "20", "--quiet"], { stdio: ["ignore", "pipe", "inherit"] });
const base = await new Promise((ok) => server.stdout.on("data", (c) => { const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(String(c)); if (m) ok(m[1]); }));
let rateLimited = 0;
const client = new SnsClient({
  sdkAppId: 1400000000, identifier: "administrator", secretKey: KEY, baseUrl: base,
  onResponse: () => {},
  onError: (e) => { if (e.error.errorCode === 60007) rateLimited++; },
});
const users = Array.from({ length: USERS }, (_, i) => `user${i}`);
const targets = Array.from({ length: TARGETS }, (_, i) => `t${i}`);
await client.request("im_open_login_svc/multiaccount_import", { Accounts: [...users, ...targets] });

let calls = 0;
const counting = new SnsClient({
  sdkAppId: 1400000000, identifier: "administrator", secretKey: KEY, baseUrl: base,
  onRequest: () => calls++,
  onError: (e) => { if (e.error.errorCode === 60007) rateLimited++; },
});
const t0 = performance.now();
const report = await counting.addFriends(
  users.map((u) => ({ From_Account: u, items: targets.map((t) => ({ To_Account: t, AddSource: "AddSource_Type_Bench" })) })),
  { concurrency: 16 },
);
const seconds = (performance.now() - t0) / 1000;
server.kill();
console.log(`node ${process.version}; ${USERS} users x ${TARGETS} friend_add items = ${report.total} items in ${calls} calls, 20 ms latency per call`);
console.log(`${seconds.toFixed(2)} s: ${(calls / seconds).toFixed(1)} calls/s = ${((calls / seconds) / 200).toFixed(2)} of the 200 calls/s limit; 60007 replies: ${rateLimited}`);
console.log(`outcomes: ${report.ok} ok, ${report.pending} pending (AllowType NeedConfirm), ${report.failed} failed`);
