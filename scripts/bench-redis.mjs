// The rate four workers of one SDKAppID get through tim-sns/redis, against the strict server
// (tests/node/strict-server.mjs, in its own process: at most 200 calls of a command in any
// sliding 1000 ms, counted when a body arrives, 20 ms after it was received). Each worker
// (tests/node/redis-worker.mjs) imports its shard and sends single calls of the same command
// alongside. Prints, per Redis client kind: the calls the server counted, their rate from the
// first count to the last as a share of the budget's `floor(share × 200)`, the most counted in
// any 1000 ms, and the 60007 answers. Needs redis-server (scripts/setup.sh) and the built
// package (scripts/build-pkg.sh, scripts/install-pkg.sh).
//   node scripts/bench-redis.mjs [--users 300] [--items 2] [--share 1] [--margin MS] [--kind ioredis|node-redis]
// (--margin: the budget's marginMs; default the limiter's own, 100).
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { startRedis, KINDS } from "../tests/node/redis-server.mjs";

const { values } = parseArgs({ options: { users: { type: "string", default: "300" }, items: { type: "string", default: "2" }, share: { type: "string", default: "1" }, margin: { type: "string" }, kind: { type: "string" } } });
const [users, items, share] = [Number(values.users), Number(values.items), Number(values.share)];
const RATE = 200;
const limit = Math.floor(share * RATE);
const root = new URL("../", import.meta.url);

/** Starts `node args` and resolves with the process once a stdout line matches `ready`. */
function start(args, ready, stdin = "ignore") {
  const p = spawn(process.execPath, args, { cwd: root, stdio: [stdin, "pipe", "inherit"] });
  p.text = "";
  p.exited = new Promise((ok) => p.on("exit", ok));
  return new Promise((ok, fail) => {
    p.stdout.on("data", (d) => {
      p.text += d;
      if (ready.test(p.text)) ok(p);
    });
    p.on("exit", (code) => fail(new Error(`${args.join(" ")} exited with ${code}: ${p.text}`)));
  });
}

async function round(kind, redis) {
  const server = await start(["tests/node/strict-server.mjs", "--serve", "--before", "20", "--rate", String(RATE)], /strict server on (\S+)/);
  const url = /strict server on (\S+)/.exec(server.text)[1];
  const prefix = `bench-${kind}-${Date.now()}`; // one budget for the four, none left from a round before
  const workers = await Promise.all([0, 1, 2, 3].map((shard) => {
    const cfg = { base: url, redisUrl: redis.url, kind, shard, users, items, rate: RATE, share, prefix, barrier: true, ...(values.margin ? { marginMs: Number(values.margin) } : {}) };
    return start(["tests/node/redis-worker.mjs", JSON.stringify(cfg)], /"ready"/, "pipe");
  }));
  for (const w of workers) w.stdin.end("go\n");
  await Promise.all(workers.map((w) => w.exited));
  const results = workers.map((w) => JSON.parse(w.text.trim().split("\n").at(-1)));
  const stats = await (await fetch(`${url}/stats`)).json();
  server.kill();
  const c = stats.countedAt;
  let most = 0;
  for (let i = 0, j = 0; i < c.length; i++) {
    while (c[i] - c[j] >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  const rate = ((c.length - 1) / (c.at(-1) - c[0])) * 1000;
  const itemsOk = results.reduce((n, r) => n + (r.ok ?? 0), 0);
  const singles = results.reduce((n, r) => n + r.singles, 0);
  const late = results.reduce((n, r) => n + (r.lateStarts ?? 0), 0);
  console.log(`${kind}${values.margin ? ` (marginMs ${values.margin})` : ""}: ${stats.calls - stats.rateLimited} calls counted in ${((c.at(-1) - c[0]) / 1000).toFixed(2)} s (${itemsOk}/${4 * users * items} items ok, ${singles} single calls), `
    + `${rate.toFixed(1)} calls/s = ${(rate / limit).toFixed(3)} of the budget's ${limit}/s; most in any 1000 ms: ${most}; 60007 answers: ${stats.rateLimited}; starts given up as late: ${late}`);
}

const redis = await startRedis();
try {
  for (const kind of values.kind ? [values.kind] : KINDS) await round(kind, redis);
} finally {
  await redis.stop();
}
