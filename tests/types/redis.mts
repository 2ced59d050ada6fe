// tim-sns/redis from strict TypeScript: the limiter and the journal plug into SnsClient and the
// bulk helpers as they are, with either Redis client's shape; the @ts-expect-error lines must be
// errors. (The clients are declared by their shapes: this consumer installs neither.)
import { SnsClient, type SnsClientOptions } from "tim-sns";
import { redisRateLimiter, redisJournal, type RedisRateLimiter, type RedisJournal } from "tim-sns/redis";

// ioredis: eval(script, numKeys, ...args) with overloads and callbacks; recognised by evalsha.
declare const ioredis: {
  eval(script: string, numKeys: number | string, ...args: (string | number)[]): Promise<unknown>;
  eval(script: string, numKeys: number | string, ...args: [...(string | number)[], (err: Error | null, r?: unknown) => void]): Promise<unknown>;
  evalsha(sha: string, numKeys: number | string, ...args: (string | number)[]): Promise<unknown>;
};
// node-redis: eval(script, { keys, arguments }); recognised by evalSha.
declare const nodeRedis: {
  eval(script: string, options?: { keys?: string[]; arguments?: string[] }): Promise<unknown>;
  evalSha(sha: string, options?: { keys?: string[]; arguments?: string[] }): Promise<unknown>;
};

const limiter: RedisRateLimiter = redisRateLimiter({ redis: ioredis, sdkAppId: 1400000000, share: 0.8 });
const other = redisRateLimiter({ redis: nodeRedis, sdkAppId: 1400000000, ratePerSecond: 200, marginMs: 50, prefix: "app" });
const options: SnsClientOptions = { sdkAppId: 1400000000, identifier: "administrator", secretKey: "k", region: "singapore", rateLimiter: limiter };
const client = new SnsClient({ ...options, rateLimiter: other });
const journal: RedisJournal = redisJournal({ redis: nodeRedis, key: "import:shard-0" });
await client.importFriends({ From_Account: "alice", items: [{ To_Account: "bob", AddSource: "AddSource_Type_Import" }] }, { journal });
const perWindow: number = limiter.limit + limiter.intervalMs + limiter.lateStarts;
const key: string = limiter.key("friend_add");
await limiter.acquire("friend_add", { signal: AbortSignal.timeout(1000) });
await limiter.penalize("friend_add");
void [perWindow, key];

// @ts-expect-error a client of neither shape
redisRateLimiter({ redis: { get() {} }, sdkAppId: 1 });
// @ts-expect-error the SDKAppID is required
redisRateLimiter({ redis: ioredis });
// @ts-expect-error the journal needs its key
redisJournal({ redis: ioredis });
