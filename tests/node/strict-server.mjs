// A strict stand-in for the service's rate limit, for tests and benchmarks (never a test itself):
// at most `rate` calls of one command in any sliding `windowMs`, and the next one is answered
// 60007 at once. Two counting models:
// - "arrival": a call counts when its body has arrived, `before` ms after it was received (a
//   one-way delay before the count: the out-leg of a real route), and is answered `after` ms
//   later;
// - "answer": a call counts when it is answered, `before + after` ms after it was received.
// A call answered 60007 does not count. Replies have the service's shape for friend_import,
// friend_add and friend_check (every item ok, no relation): enough for bulk runs and single
// calls. The server only counts (calls, when each was counted, and how often each
// "From_Account>To_Account" was written); it keeps no friends.
//
// In a test: `const s = await startStrictServer({ before: 20 }); ... s.stats(); await s.close();`
// For a benchmark, in its own process (so its timers do not share the client's event loop):
//   node tests/node/strict-server.mjs --serve [--before MS] [--after MS] [--count arrival|answer] [--rate N]
// prints its URL; `GET /stats` answers the counts as JSON, `POST /stats` zeroes them.
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";

const OK = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" };
const LIMITED = { ActionStatus: "FAIL", ErrorCode: 60007, ErrorInfo: "the request rate is over the limit" };

/** The reply of one accepted call of `command` with this body. */
function reply(command, body) {
  switch (command) {
    case "friend_import":
    case "friend_add": {
      const items = body.AddFriendItem ?? [];
      const ResultItem = items.map((i) => ({ To_Account: i.To_Account, ResultCode: 0, ResultInfo: "" }));
      return { ...OK, ResultItem, Fail_Account: [] };
    }
    case "friend_check": {
      const InfoItem = (body.To_Account ?? []).map((t) => ({ To_Account: t, Relation: "CheckResult_Type_NoRelation", ResultCode: 0, ResultInfo: "" }));
      return { ...OK, InfoItem, Fail_Account: [] };
    }
    default:
      return { ActionStatus: "FAIL", ErrorCode: 90001, ErrorInfo: `the strict server does not serve ${command}` };
  }
}

/**
 * The most of `times` (ms) in any window of `windowMs`: what a server counting them (at arrival
 * after a constant delay, say) would see at its busiest.
 */
export function busiestWindow(times, windowMs) {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/**
 * Starts the server on a free loopback port.
 * @param {{ before?: number, after?: number, count?: "arrival" | "answer", rate?: number, windowMs?: number }} [options]
 * `countedAt` holds when each counted call was counted (ms, this process's clock); `written` the
 * distinct pairs written by accepted friend_import and friend_add calls, `rewritten` the writes
 * of a pair already written.
 * @returns {Promise<{ url: string, stats(): { calls: number, rateLimited: number, byCommand: Record<string, { calls: number, rateLimited: number }>, limitedAt: number[], countedAt: number[], written: number, rewritten: number }, reset(): void, close(): Promise<void> }>}
 */
export async function startStrictServer({ before = 0, after = 0, count = "arrival", rate = 200, windowMs = 1000 } = {}) {
  if (count !== "arrival" && count !== "answer") throw new Error(`count must be "arrival" or "answer", not ${count}`);
  const windows = new Map(); // command -> times (ms) of the calls counted in the last window
  let byCommand = {};
  let limitedAt = []; // when each 60007 was answered, ms on this process's clock
  let countedAt = []; // when each call was counted
  let writes = new Map(); // "from>to" -> times written
  const wrote = (body) => {
    for (const i of body.AddFriendItem ?? []) {
      const k = `${body.From_Account}>${i.To_Account}`;
      writes.set(k, (writes.get(k) ?? 0) + 1);
    }
  };
  const tally = (command, limited) => {
    const t = (byCommand[command] ??= { calls: 0, rateLimited: 0 });
    t.calls++;
    if (limited) {
      t.rateLimited++;
      limitedAt.push(performance.now());
    }
  };
  /** Counts a call of `command` now; false when the window is full (the call is refused). */
  const admit = (command) => {
    const now = performance.now();
    const times = windows.get(command) ?? [];
    windows.set(command, times);
    while (times.length && times[0] <= now - windowMs) times.shift();
    if (times.length >= rate) return false;
    times.push(now);
    countedAt.push(now);
    return true;
  };
  const stats = () => {
    const all = Object.values(byCommand);
    let rewritten = 0;
    for (const n of writes.values()) rewritten += n - 1;
    return { calls: all.reduce((n, t) => n + t.calls, 0), rateLimited: all.reduce((n, t) => n + t.rateLimited, 0), byCommand: structuredClone(byCommand), limitedAt: [...limitedAt], countedAt: [...countedAt], written: writes.size, rewritten };
  };
  const send = (res, status, payload) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(payload));
  };
  // A zero delay still goes through a timer, as a real route would never answer in the same turn.
  const later = (ms, f) => setTimeout(f, ms);

  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const path = new URL(req.url, "http://x").pathname;
      if (path === "/stats") {
        if (req.method === "POST") [byCommand, limitedAt, countedAt, writes] = [{}, [], [], new Map()];
        return send(res, 200, stats());
      }
      const command = path.split("/").pop();
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString());
      } catch {
        return send(res, 200, { ActionStatus: "FAIL", ErrorCode: 90001, ErrorInfo: "the body is not JSON" });
      }
      later(before, () => {
        if (count === "arrival") {
          if (!admit(command)) {
            tally(command, true);
            return send(res, 200, LIMITED);
          }
          tally(command, false);
          wrote(body);
          return later(after, () => send(res, 200, reply(command, body)));
        }
        later(after, () => {
          const ok = admit(command);
          tally(command, !ok);
          if (ok) wrote(body);
          send(res, 200, ok ? reply(command, body) : LIMITED);
        });
      });
    });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stats,
    reset: () => { [byCommand, limitedAt, countedAt, writes] = [{}, [], [], new Map()]; },
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes("--serve")) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const s = await startStrictServer({ before: Number(arg("before", 0)), after: Number(arg("after", 0)), count: arg("count", "arrival"), rate: Number(arg("rate", 200)) });
  console.log(`strict server on ${s.url}`);
}
