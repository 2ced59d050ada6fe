// Benchmark (not a test): the bulk client alone at scale. 1 000 000 friend_import items (1000
// users × 1000 items: 1000 calls) against a fetch that answers every item ok at once, with a
// budget that never binds (the service's own limit would allow 200 calls/s × 1000 items =
// 200 000 items/s, so the client must not be what limits a run).
//
// The anchor is the JSON floor: the same 1000 calls done by hand in one loop, each body built
// with JSON.stringify, answered by the same stub (which parses the body and writes the reply),
// and its reply read with JSON.parse. No client can do less than that, so ours ÷ floor is the
// client's own overhead (planning, checks, reconciliation bookkeeping, the report).
//
// Each side runs in its own process (peak RSS is per process), in turns, RUNS times each; the
// input objects are built before the clock starts in both. Prints each run, the medians, the
// ratio of the medians and each side's largest peak RSS.
// Run after building and installing the package: node scripts/bench-scale.mjs [RUNS] [USERS] [ITEMS]
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const [mode, ...rest] = process.argv.slice(2);

/** The stub service: every item ok. Shared by both sides, so its cost is in both. */
function stubReply(body) {
  const results = JSON.parse(body).AddFriendItem.map((i) => ({ To_Account: i.To_Account, ResultCode: 0, ResultInfo: "" }));
  return JSON.stringify({ ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", ResultItem: results, Fail_Account: [] });
}

function input(users, items) {
  const to = Array.from({ length: items }, (_, i) => `target_${i}`);
  return Array.from({ length: users }, (_, u) => ({ From_Account: `user_${u}`, items: to.map((t) => ({ To_Account: t, AddSource: "AddSource_Type_Bench" })) }));
}

async function ours(users, items) {
  const { SnsClient } = await import("tim-sns");
  const fetch = async (url, init) => {
    const text = stubReply(init.body);
    return { status: 200, text: async () => text };
  };
  const client = new SnsClient({ sdkAppId: 1400000000, identifier: "administrator", secretKey: "bench-key", baseUrl: "http://stub.invalid", fetch, rateLimitPerSecond: 100_000 });
  const data = input(users, items);
  const t0 = performance.now();
  const report = await client.importFriends(data);
  const ms = performance.now() - t0;
  if (report.ok !== users * items) throw new Error(`${report.ok} of ${users * items} ok`);
  return ms;
}

async function floor(users, items) {
  const data = input(users, items);
  const t0 = performance.now();
  let ok = 0;
  for (const { From_Account, items: list } of data) {
    for (let i = 0; i < list.length; i += 1000) {
      const body = JSON.stringify({ From_Account, AddFriendItem: list.slice(i, i + 1000) });
      const reply = JSON.parse(stubReply(body));
      ok += reply.ResultItem.filter((r) => r.ResultCode === 0).length;
    }
  }
  const ms = performance.now() - t0;
  if (ok !== users * items) throw new Error(`${ok} of ${users * items} ok`);
  return ms;
}

if (mode === "--side") {
  const [side, users, items] = rest;
  const ms = await (side === "ours" ? ours : floor)(Number(users), Number(items));
  // maxRSS is in KiB.
  console.log(JSON.stringify({ ms, rssMiB: process.resourceUsage().maxRSS / 1024 }));
} else {
  const [runs = 3, users = 1000, items = 1000] = [mode, ...rest].map((v) => (v === undefined ? undefined : Number(v)));
  const self = fileURLToPath(import.meta.url);
  const side = (name) => {
    const r = spawnSync(process.execPath, [self, "--side", name, String(users), String(items)], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split("\n").pop());
  };
  console.log(`node ${process.version}; ${users} users × ${items} items = ${users * items} friend_import items, ${users * Math.ceil(items / 1000)} calls; ${runs} runs a side, in turns`);
  const results = { ours: [], floor: [] };
  for (let i = 0; i < runs; i++) {
    for (const name of ["floor", "ours"]) {
      const r = side(name);
      results[name].push(r);
      console.log(`run ${i + 1} ${name.padEnd(5)}: ${r.ms.toFixed(0)} ms, peak RSS ${r.rssMiB.toFixed(0)} MiB`);
    }
  }
  const median = (list) => list.map((r) => r.ms).sort((a, b) => a - b)[list.length >> 1];
  const peak = (list) => Math.max(...list.map((r) => r.rssMiB));
  const [o, f] = [median(results.ours), median(results.floor)];
  console.log(`median: ours ${o.toFixed(0)} ms (${(o * 1000 / (users * items)).toFixed(2)} µs an item), JSON floor ${f.toFixed(0)} ms; ours ÷ floor ${(o / f).toFixed(2)}; peak RSS ours ${peak(results.ours).toFixed(0)} MiB, floor ${peak(results.floor).toFixed(0)} MiB`);
}
