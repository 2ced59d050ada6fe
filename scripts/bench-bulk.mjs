// Benchmark (not a test): bulk imports with default options through the Node build into
// `tim-sns emulator` over loopback HTTP, at 20 ms and 200 ms of injected latency per call, for
// 600 users × 20 items and 5 users × 2000 items. Prints the calls per second achieved against
// the bound: one user's writes are serial (30008 otherwise), so the bound is
// min(200 calls/s, users ÷ round trip), and how many replies were 60007 (rate limited).
// The time is the whole importFriends call: planning, ramp-up, the last round trip, the report.
// So each line also gives the ceiling, the ratio a client with no processing time at all would
// reach for this run: at most 200 starts in any 1025 ms (the engine's budget with its margin),
// one user's calls one after another, every call taking exactly the injected latency. The bound
// is a rate, the ceiling a run: a run shorter than a few seconds can pass the bound (200 calls
// at once, then 200 more a second later), and a short one cannot reach it (its last call still
// takes a round trip after the last start).
// Each shape runs twice into one `tim-sns emulator` process, with other users: first with the
// process cold, then warm (both are printed; the cold line is the one that was always printed).
// Before those, the client alone: each shape against a fetch that answers at once.
// Run after building and installing the package: node scripts/bench-bulk.mjs
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SnsClient } from "tim-sns";

const BIN = fileURLToPath(new URL("../node_modules/.bin/tim-sns", import.meta.url));
const KEY = "bench-key";

/** The least time (s) of `users` × `perUser` calls: at most 200 starts in any 1025 ms, round
 * robin, one user's next call only after its previous one took `rttMs`. */
function bestSeconds(users, perUser, rttMs) {
  const ready = new Array(users).fill(0), left = new Array(users).fill(perUser), starts = [];
  let end = 0;
  for (let n = users * perUser; n > 0; n--) {
    let u = -1;
    for (let i = 0; i < users; i++) if (left[i] > 0 && (u < 0 || ready[i] < ready[u])) u = i;
    const start = Math.max(ready[u], starts.length >= 200 ? starts[starts.length - 200] + 1025 : 0);
    starts.push(start);
    ready[u] = start + rttMs;
    left[u]--;
    end = Math.max(end, ready[u]);
  }
  return end / 1000;
}

async function run(latencyMs, users, items) {
  const server = spawn(BIN, ["emulator", "--port", "0", "--key", KEY, "--latency-ms", String(latencyMs), "--quiet"], { stdio: ["ignore", "pipe", "inherit"] });
  const base = await new Promise((ok) => server.stdout.on("data", (c) => { const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(String(c)); if (m) ok(m[1]); }));
  let calls = 0, rateLimited = 0, trips = [], firstCall = 0, lastReply = 0;
  const client = new SnsClient({
    sdkAppId: 1400000000, identifier: "administrator", secretKey: KEY, baseUrl: base,
    onRequest: (e) => { if (e.command === "friend_import" && calls++ === 0) firstCall = performance.now(); },
    onResponse: (e) => { if (e.command === "friend_import") { trips.push(e.durationMs); lastReply = performance.now(); } },
    onError: (e) => { if (e.error?.errorCode === 60007) rateLimited++; },
  });
  // Two runs into the same emulator process, each with its own users: the first meets the
  // process cold (V8 compiles its .wasm lazily, on first use), the second warm.
  const cold = Array.from({ length: users }, (_, i) => `u${i}`);
  const warm = Array.from({ length: users }, (_, i) => `w${i}`);
  const to = Array.from({ length: items }, (_, i) => `t${i}`);
  const all = [...cold, ...warm, ...to];
  for (let i = 0; i < all.length; i += 100) await client.request("im_open_login_svc/multiaccount_import", { Accounts: all.slice(i, i + 100) });
  const bound = Math.min(200, users / (latencyMs / 1000));
  const needed = users * Math.ceil(items / 1000);
  const ceiling = needed / bestSeconds(users, Math.ceil(items / 1000), latencyMs) / bound;
  for (const [label, from] of [["cold", cold], ["warm", warm]]) {
    // The service counts calls over the last second: the second run starts with it empty.
    if (label === "warm") await new Promise((ok) => setTimeout(ok, 1100));
    calls = 0;
    rateLimited = 0;
    trips = [];
    const t0 = performance.now();
    const report = await client.importFriends(from.map((u) => ({ From_Account: u, items: to.map((t) => ({ To_Account: t, AddSource: "AddSource_Type_Bench" })) })));
    const seconds = (performance.now() - t0) / 1000;
    const rate = calls / seconds;
    // The round trip the client saw (send to parsed reply): the injected latency plus both sides'
    // processing and the emulator's queue. The bound at that round trip leaves out what the
    // service costs, which a client cannot change.
    const mean = trips.reduce((a, b) => a + b, 0) / Math.max(1, trips.length);
    const measured = Math.min(200, users / (mean / 1000));
    // Where the client's own time shows at either end: before the first call, after the last reply.
    const ends = `first call ${(firstCall - t0).toFixed(1)} ms after the start, report ${(t0 + seconds * 1000 - lastReply).toFixed(1)} ms after the last reply`;
    console.log(`${String(latencyMs).padStart(3)} ms, ${users} users × ${items} items, ${label} emulator: ${report.total} items, ${calls} calls in ${seconds.toFixed(2)} s = ${rate.toFixed(1)} calls/s; bound ${bound.toFixed(0)}/s; ratio ${(rate / bound).toFixed(2)} (ceiling ${ceiling.toFixed(2)}); round trips as measured ${mean.toFixed(0)} ms on average, bound at that ${measured.toFixed(0)}/s, ratio ${(rate / measured).toFixed(2)}; ${ends}; ${report.ok} ok, ${report.failed} failed; 60007 replies: ${rateLimited}`);
  }
  server.kill();
}

/** The client alone: the same shape against a fetch that answers every item ok at once (no
 * server, no latency) and a rateLimiter that never waits, so the time is the client's own
 * (planning, bodies, replies, the report); the median of 9 runs after 2 warm-up runs. */
async function clientAlone(users, items) {
  const fetch = async (url, init) => {
    const results = JSON.parse(init.body).AddFriendItem.map((i) => ({ To_Account: i.To_Account, ResultCode: 0, ResultInfo: "" }));
    const text = JSON.stringify({ ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", ResultItem: results, Fail_Account: [] });
    return { status: 200, text: async () => text };
  };
  const client = new SnsClient({ sdkAppId: 1400000000, identifier: "administrator", secretKey: KEY, baseUrl: "http://stub.invalid", fetch });
  const to = Array.from({ length: items }, (_, i) => `t${i}`);
  const times = [];
  for (let run = 0; run < 11; run++) {
    const input = Array.from({ length: users }, (_, u) => ({ From_Account: `r${run}u${u}`, items: to.map((t) => ({ To_Account: t, AddSource: "AddSource_Type_Bench" })) }));
    const t0 = performance.now();
    const report = await client.importFriends(input, { rateLimiter: { acquire: async () => {} } });
    if (run >= 2) times.push(performance.now() - t0);
    if (report.ok !== users * items) throw new Error(`client alone: ${report.ok} of ${users * items} ok`);
  }
  times.sort((a, b) => a - b);
  const ms = times[times.length >> 1];
  console.log(`client alone, ${users} users × ${items} items (${Math.ceil(items / 1000) * users} calls): ${ms.toFixed(1)} ms a run, ${(ms * 1000 / (users * items)).toFixed(1)} µs an item`);
}

console.log(`node ${process.version}; friend_import takes 1000 items a call; default options`);
await clientAlone(600, 20);
await clientAlone(5, 2000);
for (const latency of [20, 200]) {
  await run(latency, 600, 20);
  await run(latency, 5, 2000);
}
