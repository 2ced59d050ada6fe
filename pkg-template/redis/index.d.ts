// Types of tim-sns/redis: a rate budget and bulk journals shared through Redis by every worker
// of one app. The package depends on no Redis client: pass your own (ioredis or node-redis).

/**
 * An ioredis client (`new Redis(url)`, or a `Cluster`), recognised by its `evalsha`; only
 * `eval(script, numKeys, ...keysAndArgs)` is called.
 */
export interface IoRedisLike {
  /** Runs a Lua script: `eval(script, numKeys, ...keysAndArgs)`. */
  eval(...args: any[]): unknown;
  /** Present on ioredis clients only: how one is told from a node-redis client. */
  evalsha(...args: any[]): unknown;
}

/**
 * A node-redis client (the `redis` package, v4 and later: `createClient({ url })`, connected),
 * recognised by its `evalSha`; only `eval(script, { keys, arguments })` is called.
 */
export interface NodeRedisLike {
  /** Runs a Lua script: `eval(script, { keys, arguments })`. */
  eval(...args: any[]): unknown;
  /** Present on node-redis clients only: how one is told from an ioredis client. */
  evalSha(...args: any[]): unknown;
}

/** The caller's Redis client: ioredis or node-redis. */
export type RedisClientLike = IoRedisLike | NodeRedisLike;

/** Options of {@link redisRateLimiter}. */
export interface RedisRateLimiterOptions {
  /** Your Redis client, shared with the rest of your app if you like. */
  redis: RedisClientLike;
  /** The app's SDKAppID: one budget per SDKAppID and command, for every process on this Redis. */
  sdkAppId: number;
  /** The part of the service's limit these workers may use, above 0 and at most 1, e.g. 0.8 to
   * leave room for callers that do not share this budget. Default 1. */
  share?: number;
  /** The service's limit per command, calls per second. Default 200 (every v4/sns command). */
  ratePerSecond?: number;
  /** Widening of the one-second window, ms: covers how much the delay from Redis's grant to the
   * service's count varies (the Redis reply, the worker's timers, the route). Default 100, which
   * keeps 0.91 of the share. */
  marginMs?: number;
  /** Start of the Redis keys: `${prefix}:rate:${sdkAppId}:${command}`. Default "tim-sns". */
  prefix?: string;
}

/** A rate budget in Redis, for `new SnsClient({ rateLimiter })`. */
export interface RedisRateLimiter {
  /**
   * Resolves when a call of `command` may start: it reserves the next free start of the shared
   * budget on Redis's clock and sleeps until then. Starts are `intervalMs` apart. When Redis
   * fails or does not answer, it retries with backoff until `signal` aborts (the client aborts it
   * at the call's `timeoutMs`; without a signal, after 30 s), then rejects: the call is not sent.
   */
  acquire(command: string, options?: { signal?: AbortSignal }): Promise<void>;
  /**
   * Records an answer "over the rate" (60007) for `command`: every worker holds new starts for
   * 50 ms, then runs at 0.8 of the share for 60 s. The client calls it; wire the
   * `Alert.RequestOverLimit` webhook to it too. Rejects when Redis fails.
   */
  penalize(command: string): Promise<void>;
  /** Starts per `1000 + marginMs` ms: `floor(share × ratePerSecond)`. */
  readonly limit: number;
  /** Time between two starts, ms. */
  readonly intervalMs: number;
  /** The Redis key of `command`'s budget. */
  key(command: string): string;
  /** Starts this process reached more than half the margin late and gave up (taking a new one
   * each): many of them mean an overloaded host, or a margin too small for it. */
  readonly lateStarts: number;
}

/**
 * A rate budget shared by every process that uses the same Redis and SDKAppID: no window of
 * `1000 + marginMs` ms holds more than `floor(share × ratePerSecond)` starts of a command, spaced
 * evenly; a 60007 seen by any worker slows every worker; when Redis cannot be reached, calls wait
 * and then fail with a `RateLimiterError`, never go unlimited.
 *
 * @example
 * import { Redis } from "ioredis";
 * import { SnsClient } from "tim-sns";
 * import { redisRateLimiter } from "tim-sns/redis";
 * declare const secretKey: string;
 * const rateLimiter = redisRateLimiter({ redis: new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379"), sdkAppId: 1400000000, share: 0.8 });
 * const client = new SnsClient({ sdkAppId: 1400000000, identifier: "administrator", secretKey, region: "singapore", rateLimiter });
 */
export function redisRateLimiter(options: RedisRateLimiterOptions): RedisRateLimiter;

/** Options of {@link redisJournal}. */
export interface RedisJournalOptions {
  /** Your Redis client (ioredis or node-redis). */
  redis: RedisClientLike;
  /** The Redis list that holds the journal: one per run (one per shard of a split run). */
  key: string;
}

/** A bulk run's journal in Redis: pass it as the `journal` option of a bulk helper. */
export interface RedisJournal {
  /** The Redis key. */
  readonly key: string;
  /** Appends the run's lines (one RPUSH); the run waits for it before the call goes out. */
  append(text: string): Promise<void>;
  /** The whole journal so far ("" when there is none). */
  read(): Promise<string>;
  /** Deletes the journal, to start the run over. */
  clear(): Promise<void>;
}

/**
 * The journal of a bulk run kept in Redis, so that any process reaching the same Redis can resume
 * the run (rerun it with the same input and the same key).
 *
 * @example
 * import type { Redis } from "ioredis";
 * import type { SnsClient, BulkInput, FriendImportItem } from "tim-sns";
 * import { redisJournal } from "tim-sns/redis";
 * declare const redis: Redis, client: SnsClient, shard: BulkInput<FriendImportItem>;
 * const journal = redisJournal({ redis, key: "import-2026-01:shard-3" });
 * await client.importFriends(shard, { journal });
 */
export function redisJournal(options: RedisJournalOptions): RedisJournal;
