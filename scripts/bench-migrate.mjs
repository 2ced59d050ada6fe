// Benchmark (not a test): migration through tim-sns (the Node build) into and out of `tim-sns emulator`
// processes over loopback HTTP with 20 ms of injected latency per call.
//   1. export of 500 users with 20 friends each (10 000 relations) from app A, and restore into
//      an empty app B: users per second against the bound of 200 (every user needs one call of
//      each read command, and each command is limited to 200 calls/s), and 60007 replies;
//   2. the peak RSS of a process exporting 500 and 5 000 users (the emulator in its own
//      process), and of one exporting the 5 000 three times over (15 000 exports): streaming
//      keeps it flat. V8 grows its heap over the first seconds of steady allocation, so a short
//      run peaks lower than any longer one; the 15 000 line shows where the peak settles. The
//      anchor beside each line is a process that sends the same calls with bare `fetch` (the
//      same URLs and bodies, the replies read as text and dropped) and nothing of tim-sns's
//      client: what Node's own fetch costs at that size. The third figure is the exporting
//      process again, sending through nodeHttpFetch. The exporting processes run with
//      --expose-gc: after the peak is read, a full collection gives the heap the export still
//      holds (its live data), and the last line gives each peak's growth from 500 to 5 000 users.
// Parts 1 and 2 run with the client's default fetch (Node's own) and again with nodeHttpFetch,
// the node:http fetch that the tim-sns command sends through.
// Run after building and installing the package: node scripts/bench-migrate.mjs [--runs N] [--speed]
//   --runs N   part 1 N times over (default 3), each run on fresh target apps, then the median of
//              each figure; the machine's noise shows in the spread of the runs
//   --speed    part 1 only (and the in-process export), without the peak RSS of part 2
import { spawn, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SnsClient, genUserSig, nodeHttpFetch } from "tim-sns";
import { Emulator } from "tim-sns/emulator";

const BIN = fileURLToPath(new URL("../node_modules/.bin/tim-sns", import.meta.url));
const KEY = "bench-key";
const LATENCY_MS = 20, FRIENDS = 20;
const users = (n) => Array.from({ length: n }, (_, i) => `u${i}`);

async function emulator(app, extra = []) {
  const child = spawn(BIN, ["emulator", "--port", "0", "--key", KEY, "--sdkappid", String(app), "--latency-ms", String(LATENCY_MS), "--quiet", ...extra], { stdio: ["ignore", "pipe", "inherit"] });
  const base = await new Promise((ok) => child.stdout.on("data", (c) => { const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(String(c)); if (m) ok(m[1]); }));
  return { app, base, child };
}
const counters = { calls: 0, rateLimited: 0 };
const CONCURRENCY = 16; // exportUsers' default
const TRANSPORTS = { fetch: undefined, nodeHttpFetch };
const clientOf = (e, transport = "fetch") => new SnsClient({
  sdkAppId: e.app, identifier: "administrator", secretKey: KEY, baseUrl: e.base, fetch: TRANSPORTS[transport],
  onRequest: () => counters.calls++,
  onError: (ev) => { if (ev.error.errorCode === 60007) counters.rateLimited++; },
});

/** n users, each with FRIENDS friends among them, one friend_import per user. */
async function seed(e, n) {
  const c = clientOf(e);
  const ids = users(n);
  for (let i = 0; i < n; i += 100) await c.request("im_open_login_svc/multiaccount_import", { Accounts: ids.slice(i, i + 100) });
  await c.importFriends(ids.map((u, i) => ({
    From_Account: u,
    items: Array.from({ length: FRIENDS }, (_, k) => ({ To_Account: ids[(i + k + 1) % n], AddSource: "AddSource_Type_Bench", Remark: `好友 ${k}` })),
  })));
}

if (process.argv[2] === "--export-child") {
  // The exporting process of part 2: export, count, print the peak RSS.
  const [, , , base, app, n, passes = "1", transport = "fetch"] = process.argv;
  let friends = 0;
  for (let pass = 0; pass < Number(passes); pass++) {
    for await (const r of clientOf({ base, app: Number(app) }, transport).exportUsers(users(Number(n)))) friends += r.Friends.length;
  }
  const heapMiB = process.memoryUsage().heapTotal / 1048576;
  const maxRssKb = process.resourceUsage().maxRSS;
  // After the peak is read: what survives a full collection is what the export still holds.
  globalThis.gc?.();
  const liveMiB = process.memoryUsage().heapUsed / 1048576;
  console.log(JSON.stringify({ friends, maxRssKb, heapMiB, liveMiB }));
  process.exit(0);
}

if (process.argv[2] === "--bare-child") {
  // The anchor of part 2: the three reads of every user through bare fetch, CONCURRENCY users at once.
  const [, , , base, app, n, passes = "1"] = process.argv;
  const sig = genUserSig({ sdkAppId: Number(app), secretKey: KEY, identifier: "administrator", expireSeconds: 86400 });
  const post = async (command, body) => {
    const url = `${base}/v4/sns/${command}?sdkappid=${app}&identifier=administrator&usersig=${sig}&random=${Math.floor(Math.random() * 2 ** 32)}&contenttype=json`;
    const signal = AbortSignal.timeout(10000);
    return (await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), signal })).text();
  };
  let bytes = 0;
  for (let pass = 0; pass < Number(passes); pass++) {
    let next = 0;
    const worker = async () => {
      while (next < Number(n)) {
        const From_Account = `u${next++}`;
        bytes += (await post("friend_get", { From_Account, StartIndex: 0 })).length;
        bytes += (await post("group_get", { From_Account })).length;
        bytes += (await post("black_list_get", { From_Account, StartIndex: 0, MaxLimited: 1000, LastSequence: 0 })).length;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }
  const heapMiB = process.memoryUsage().heapTotal / 1048576;
  console.log(JSON.stringify({ bytes, maxRssKb: process.resourceUsage().maxRSS, heapMiB }));
  process.exit(0);
}

const flag = (name) => process.argv.indexOf(name);
const RUNS = flag("--runs") > 0 ? Math.max(1, Number(process.argv[flag("--runs") + 1])) : 3;
const N = 500;
const a = await emulator(1400000001);
await seed(a, N);
console.log(`node ${process.version}; ${LATENCY_MS} ms latency per call; default options; ${RUNS} runs`);
/** CPU time (user + system) of a process, ms, from /proc; undefined where there is none. */
const cpuOf = (pid) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
};
const ratios = {};
for (let run = 1; run <= RUNS; run++) {
  for (const transport of Object.keys(TRANSPORTS)) {
    const b = await emulator(1400000002, ["--users", users(N).join(",")]);
    // This process's CPU time per call: the client's own cost (the emulators are other
    // processes); and the serving emulator's, from /proc where there is one.
    const cpu = (since, server, serverSince) => {
      const u = process.cpuUsage(since);
      const own = `client CPU ${((u.user + u.system) / 1000 / counters.calls).toFixed(2)} ms a call`;
      const s = cpuOf(server.child.pid);
      return s === undefined ? own : `${own}, emulator ${((s - serverSince) / counters.calls).toFixed(2)}`;
    };
    const record = (what, s) => ((ratios[`${transport} ${what}`] ??= []).push(N / s / 200), `${(N / s).toFixed(0)} users/s = ${(N / s / 200).toFixed(2)} of the 200/s bound`);
    counters.calls = counters.rateLimited = 0;
    let c0 = process.cpuUsage(), e0 = cpuOf(a.child.pid);
    let t0 = performance.now();
    const snapshot = [];
    for await (const r of clientOf(a, transport).exportUsers(users(N))) snapshot.push(r);
    let s = (performance.now() - t0) / 1000;
    const relations = snapshot.reduce((n, r) => n + r.Friends.length, 0);
    console.log(`run ${run}: ${transport}: export: ${N} users, ${relations} relations, ${counters.calls} calls in ${s.toFixed(2)} s: ${(counters.calls / s).toFixed(0)} calls/s, ${record("export", s)}; 60007 replies: ${counters.rateLimited}; ${cpu(c0, a, e0)}`);

    counters.calls = counters.rateLimited = 0;
    c0 = process.cpuUsage();
    e0 = cpuOf(b.child.pid);
    t0 = performance.now();
    const report = await clientOf(b, transport).restoreUsers(snapshot);
    s = (performance.now() - t0) / 1000;
    console.log(`run ${run}: ${transport}: restore: ${report.written.friends} relations imported for ${report.users} users, ${counters.calls} calls in ${s.toFixed(2)} s: ${(counters.calls / s).toFixed(0)} calls/s, ${record("restore", s)}; ${report.failed.length} failed; 60007 replies: ${counters.rateLimited}; ${cpu(c0, b, e0)}`);
    b.child.kill();
    // The budget of a's commands is per client: the next run's client starts from an empty
    // window while the emulator (which does not limit) still holds this one's calls.
  }
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor((xs.length - 1) / 2)];
console.log(`median of ${RUNS} runs (of the 200/s bound): ${Object.entries(ratios).map(([k, v]) => `${k} ${median(v).toFixed(2)} (${v.map((x) => x.toFixed(2)).join(", ")})`).join("; ")}`);
a.child.kill();

// The same export against the emulator in this process (its fetch, the same 20 ms), which takes
// the emulator server's own cost out of the figure: what the client itself reaches.
{
  const e = new Emulator({ sdkAppId: 1, secretKey: KEY, latencyMs: LATENCY_MS });
  e.importAccounts(users(N));
  const c = new SnsClient({ sdkAppId: 1, identifier: "administrator", secretKey: KEY, baseUrl: "http://emulator.invalid", fetch: e.fetch, onRequest: () => counters.calls++ });
  await c.importFriends(users(N).map((u, i) => ({ From_Account: u, items: Array.from({ length: FRIENDS }, (_, k) => ({ To_Account: `u${(i + k + 1) % N}`, AddSource: "AddSource_Type_Bench" })) })));
  counters.calls = 0;
  const t0 = performance.now();
  let n = 0;
  for await (const r of c.exportUsers(users(N))) n += r.Friends.length ? 1 : 0;
  const s = (performance.now() - t0) / 1000;
  console.log(`export in process: ${n} users, ${counters.calls} calls in ${s.toFixed(2)} s: ${(counters.calls / s).toFixed(0)} calls/s, ${(N / s).toFixed(0)} users/s = ${(N / s / 200).toFixed(2)} of the 200/s bound`);
}

const peaks = {};
if (process.argv.includes("--speed")) process.exit(0);
for (const [n, passes] of [[500, 1], [5000, 1], [5000, 3]]) {
  const e = await emulator(1400000003);
  await seed(e, n);
  const child = (mode, transport = "fetch") => JSON.parse(execFileSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), mode, e.base, String(e.app), String(n), String(passes), transport], { encoding: "utf8" }));
  const out = child("--export-child"), bare = child("--bare-child"), overHttp = child("--export-child", "nodeHttpFetch");
  const what = passes > 1 ? `${n} users ${passes} times over (${n * passes} exports, ${out.friends} relations)` : `${n} users (${out.friends} relations)`;
  const mib = (kb) => (kb / 1024).toFixed(1);
  if (passes === 1) peaks[n] = { "tim-sns": out.maxRssKb, "bare fetch": bare.maxRssKb, "through nodeHttpFetch": overHttp.maxRssKb };
  console.log(`exporting process: ${what}: peak RSS ${mib(out.maxRssKb)} MiB (V8 heap at the end ${out.heapMiB.toFixed(0)} MiB, ${out.liveMiB.toFixed(1)} MiB live after a full collection); bare fetch of the same calls ${mib(bare.maxRssKb)} MiB (heap ${bare.heapMiB.toFixed(0)} MiB): ${(out.maxRssKb / bare.maxRssKb).toFixed(2)}×; through nodeHttpFetch ${mib(overHttp.maxRssKb)} MiB (heap ${overHttp.heapMiB.toFixed(0)} MiB, ${overHttp.liveMiB.toFixed(1)} MiB live)`);
  e.child.kill();
}
const growth = Object.keys(peaks[500]).map((k) => `${k} ${((peaks[5000][k] / peaks[500][k] - 1) * 100).toFixed(1)} %`);
console.log(`peak RSS growth from 500 to 5000 users: ${growth.join("; ")}`);
