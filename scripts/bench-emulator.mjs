// Benchmark (not a test): a bulk friend_add through SnsClient into `tim-sns emulator` over real
// loopback HTTP, with 20 ms of injected latency per call. Reports the calls per second achieved
// against the service's 200 calls/s limit, and how many replies were 60007 (rate limited).
// Then, in process, what serving a call costs the emulator: 1000-item friend_import calls (one
// user each) answered by `emulator.handle` and, in turn, by `emulator.fetch` and the Response's
// `text()`, the median of each.
// Run after building and installing the package: node scripts/bench-emulator.mjs
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SnsClient, genUserSig } from "tim-sns";
import { Emulator } from "tim-sns/emulator";

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
const accounts = [...users, ...targets];
for (let i = 0; i < accounts.length; i += 100) await client.request("im_open_login_svc/multiaccount_import", { Accounts: accounts.slice(i, i + 100) });

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

{
  const APP = 1400000000, N = 400;
  const e = new Emulator({ sdkAppId: APP, secretKey: KEY });
  e.importAccounts([...Array.from({ length: N }, (_, i) => `u${i}`), ...targets]);
  const sig = genUserSig({ sdkAppId: APP, secretKey: KEY, identifier: "administrator", expireSeconds: 3600 });
  const path = `/v4/sns/friend_import?sdkappid=${APP}&identifier=administrator&usersig=${sig}&random=7&contenttype=json`;
  const times = { handle: [], "fetch + text()": [] };
  for (let i = 0; i < N; i++) {
    // The emulator keeps the service's 200 calls/s: pace the calls (not timed).
    await new Promise((ok) => setTimeout(ok, 6));
    const body = JSON.stringify({ From_Account: `u${i}`, AddFriendItem: targets.map((t) => ({ To_Account: t, AddSource: "AddSource_Type_Bench" })) });
    const t1 = performance.now();
    const text = i % 2 ? (await e.handle(path, body)).body : await (await e.fetch(`http://127.0.0.1${path}`, { method: "POST", body })).text();
    times[i % 2 ? "handle" : "fetch + text()"].push(performance.now() - t1);
    if (!text.includes('"ResultCode":0')) throw new Error(`unexpected reply: ${text.slice(0, 200)}`);
  }
  // The first 20 of each warm the code up.
  const median = (a) => a.slice(20).sort((x, y) => x - y)[(a.length - 20) >> 1];
  const [h, f] = [median(times.handle), median(times["fetch + text()"])];
  console.log(`in process, a 1000-item friend_import: handle ${h.toFixed(2)} ms, fetch + text() ${f.toFixed(2)} ms (median of ${N / 2 - 20} each): handle takes ${(h / f).toFixed(2)} of the time`);
}
