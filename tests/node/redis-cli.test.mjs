// `tim-sns import-friends --redis URL`: the command loads the installed Redis client, paces its
// calls through the shared budget in that Redis, and exits when done; a --redis without a URL is
// a one-line usage error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startRedis, connect } from "./redis-server.mjs";
import { startStrictServer } from "./strict-server.mjs";

const BIN = fileURLToPath(new URL("../../node_modules/.bin/tim-sns", import.meta.url));
const run = (args, env) => promisify(execFile)(BIN, args, { env: { ...process.env, ...env } }).then((r) => ({ code: 0, ...r }), (e) => e);

test("import-friends --redis paces its calls through the shared budget in Redis", async () => {
  const [redis, server] = await Promise.all([startRedis(), startStrictServer()]);
  const dir = mkdtempSync(join(tmpdir(), "tim-sns-redis-cli-"));
  const { client, close } = await connect("ioredis", redis.url);
  try {
    const file = join(dir, "friends.csv");
    writeFileSync(file, Array.from({ length: 250 }, (_, i) => `t${i}`).join("\n"));
    const env = { TIM_SDKAPPID: "1400000000", TIM_IDENTIFIER: "administrator", TIM_SECRET_KEY: "cli-redis-key", TIM_BASE_URL: server.url };
    const r = await run(["import-friends", "--from", "alice", "--file", file, "--redis", redis.url], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /imported 250 of 250 friends for 1 user/);
    assert.equal(server.stats().written, 250);
    const budget = await client.hgetall("tim-sns:rate:1400000000:friend_import");
    assert.ok(Number(budget.next) > 0, "the calls took their starts from the budget in Redis");
    const bad = await run(["import-friends", "--from", "alice", "--file", file, "--redis"], env);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.trim(), "tim-sns: --redis needs a URL, e.g. --redis redis://127.0.0.1:6379");
  } finally {
    close();
    await Promise.all([server.close(), redis.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
});
