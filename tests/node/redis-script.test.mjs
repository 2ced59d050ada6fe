// tim-sns/redis against a real redis-server (tests/node/redis-server.mjs), once per client kind
// (ioredis, node-redis): the budget script's decisions driven directly with explicit times, the
// journal's round trip, the options' checks, and failing closed when Redis is gone.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { SnsClient } from "tim-sns";
import { redisRateLimiter, redisJournal } from "tim-sns/redis";
import { adapt } from "../../pkg-template/redis/adapter.mjs";
import { ACQUIRE, PENALIZE } from "../../pkg-template/redis/scripts.mjs";
import { startRedis, connect, KINDS } from "./redis-server.mjs";
import { startStrictServer } from "./strict-server.mjs";

let redis;
before(async () => { redis = await startRedis(); });
after(() => redis.stop());

for (const kind of KINDS) {
  describe(`with ${kind}`, () => {
    let conn, run;
    before(async () => {
      conn = await connect(kind, redis.url);
      run = adapt(conn.client, "test");
    });
    after(() => conn.close());

    test("the budget script: starts `interval` apart, reserved up to the horizon, held and slowed by a penalty", async () => {
      const key = `script:${kind}`;
      const T = 5250; // µs: 200 calls in 1050 ms
      const H = 12000; // µs: reserve at most 12 ms ahead
      const acquire = (now) => run(ACQUIRE, [key], [T, H, 1.25, now]).then((r) => r.map(Number).slice(0, 2));
      const t0 = 1_000_000_000_000;
      assert.deepEqual((await run(ACQUIRE, [`${key}:now`], [T, H, 1.25, t0])).map(Number), [1, 0, t0], "the reply says when the script ran");
      assert.deepEqual(await acquire(t0), [1, 0], "an idle budget starts at once");
      assert.deepEqual(await acquire(t0), [1, T], "the next start is one interval later");
      assert.deepEqual(await acquire(t0 + 1000), [1, 2 * T - 1000]);
      assert.deepEqual(await acquire(t0 + 1000), [0, 3 * T - 1000 - H], "past the horizon: nothing reserved, ask again then");
      assert.deepEqual(await acquire(t0 + 3 * T - H), [1, H], "asked again in time: reserved at the horizon");
      // Idle for a while: no catching up in a burst, the next start is at once and one interval on.
      const t1 = t0 + 10_000_000;
      assert.deepEqual(await acquire(t1), [1, 0]);
      assert.deepEqual(await acquire(t1), [1, T]);
      // Any 201 consecutive starts span 200 intervals: 1050 ms, a window and the margin.
      assert.ok(200 * T >= 1_050_000);

      // A 60007: no start for 50 ms, then starts 1.25 intervals apart for 60 s.
      const t2 = t1 + 10_000_000;
      assert.equal(Number(await run(PENALIZE, [key], [50_000, 60_000_000, t2])), 1);
      assert.deepEqual(await acquire(t2), [0, 50_000 - H], "held");
      assert.deepEqual(await acquire(t2 + 50_000), [1, 0]);
      assert.deepEqual(await acquire(t2 + 50_000), [1, Math.ceil(T * 1.25)], "slowed");
      // A shorter, earlier penalty does not shorten it.
      await run(PENALIZE, [key], [0, 1000, t2 + 60_000]);
      const t3 = t2 + 60_000_000;
      assert.deepEqual(await acquire(t3 - 1), [1, 0]);
      assert.deepEqual(await acquire(t3 - 1), [1, Math.ceil(T * 1.25)], "still slowed just before the end");
      assert.deepEqual(await acquire(t3 + 10_000_000), [1, 0]);
      assert.deepEqual(await acquire(t3 + 10_000_000), [1, T], "the penalty is over");
      // The budget's key expires by itself (on Redis's clock: the times above are far in the past).
      const ttl = kind === "ioredis" ? await conn.client.pttl(key) : await conn.client.pTTL(key);
      assert.ok(ttl > 0, `a key that expires, ${ttl}`);
    });

    test("the limiter on Redis's clock: evenly spaced starts, keys per SDKAppID and command", async () => {
      const l = redisRateLimiter({ redis: conn.client, sdkAppId: 1400000001, ratePerSecond: 100, prefix: `clock-${kind}` });
      assert.equal(l.limit, 100);
      assert.equal(l.intervalMs, 11, "(1000 + the default 100 ms margin) / 100");
      assert.equal(l.key("friend_add"), `clock-${kind}:rate:1400000001:friend_add`);
      // Ten starts are reserved `interval` apart on Redis's clock, from no earlier than now: the
      // budget's next free start is then at least ten intervals away. (The starts as this process
      // sees them may bunch by up to half the margin on a loaded machine, by design: a later one
      // is given up and taken again; so the reservations are what is checked.)
      const [sec, usec] = kind === "ioredis" ? await conn.client.call("TIME") : await conn.client.sendCommand(["TIME"]);
      const before = Number(sec) * 1e6 + Number(usec);
      await Promise.all(Array.from({ length: 10 }, () => l.acquire("friend_add")));
      const budget = kind === "ioredis" ? await conn.client.hgetall(l.key("friend_add")) : await conn.client.hGetAll(l.key("friend_add"));
      assert.ok(Number(budget.next) - before >= 10 * 11_000, `10 starts reserved within ${(Number(budget.next) - before) / 1000} ms`);
      // Another command, or another app, has its own budget.
      const other = redisRateLimiter({ redis: conn.client, sdkAppId: 1400000002, ratePerSecond: 100, prefix: `clock-${kind}` });
      assert.notEqual(other.key("friend_add"), l.key("friend_add"));
      await l.penalize("friend_add");
      const fields = kind === "ioredis" ? await conn.client.hgetall(l.key("friend_add")) : await conn.client.hGetAll(l.key("friend_add"));
      assert.deepEqual(Object.keys(fields).sort(), ["hold", "next", "slow"]);
    });

    test("the journal: appends in order, read joins them, clear starts over", async () => {
      const j = redisJournal({ redis: conn.client, key: `journal:${kind}` });
      await j.clear();
      assert.equal(await j.read(), "");
      await j.append("one\n");
      await j.append("two\nthree\n");
      assert.equal(await j.read(), "one\ntwo\nthree\n");
      await j.clear();
      assert.equal(await j.read(), "");
    });
  });
}

test("options are checked, and anything but an ioredis or node-redis client is refused", async () => {
  const { client, close } = await connect("ioredis", redis.url);
  try {
    assert.throws(() => redisRateLimiter({ redis: {}, sdkAppId: 1 }), /redis must be an ioredis client .* or a node-redis client/);
    assert.throws(() => redisRateLimiter({ redis: client, sdkAppId: 1, shares: 0.5 }), /unknown option shares/);
    assert.throws(() => redisRateLimiter({ redis: client, sdkAppId: 1, share: 1.5 }), /share must be a number above 0 and at most 1/);
    assert.throws(() => redisRateLimiter({ redis: client, sdkAppId: 0 }), /sdkAppId must be a positive integer/);
    assert.throws(() => redisJournal({ redis: client, key: "" }), /key must be a non-empty string/);
    assert.equal(redisRateLimiter({ redis: client, sdkAppId: 1, share: 0.8 }).limit, 160);
  } finally {
    close();
  }
});

for (const kind of KINDS) {
  test(`${kind}: with Redis gone, calls wait until their timeout and fail with a clear error, unsent`, async () => {
    const gone = await startRedis();
    const { client, close } = await connect(kind, gone.url);
    const server = await startStrictServer();
    try {
      await gone.stop();
      const rateLimiter = redisRateLimiter({ redis: client, sdkAppId: 1400000000 });
      const sns = new SnsClient({ sdkAppId: 1400000000, identifier: "administrator", secretKey: "redis-secret-key", baseUrl: server.url, timeoutMs: 300, rateLimiter });
      const e = await sns.friendImport({ From_Account: "a", AddFriendItem: [{ To_Account: "b", AddSource: "AddSource_Type_Test" }] }).then(() => assert.fail("must reject"), (e) => e);
      assert.equal(e.name, "RateLimiterError");
      assert.match(e.message, /rateLimiter\.acquire\("friend_import"\) failed, so the call was not sent: tim-sns\/redis: Redis (did not answer|failed) before the call's deadline/);
      assert.ok(!e.message.includes("redis-secret-key"));
      // A bulk run stops the same way, with its report.
      const bulk = await sns.importFriends({ From_Account: "a", items: [{ To_Account: "b", AddSource: "AddSource_Type_Test" }] }).then(() => assert.fail("must reject"), (e) => e);
      assert.deepEqual([bulk.name, bulk.reason, bulk.report.ok], ["BulkError", "rateLimiter", 0]);
      assert.equal(server.stats().calls, 0, "nothing was sent");
    } finally {
      close();
      await server.close();
    }
  });
}
