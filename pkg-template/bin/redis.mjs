// `--redis URL` of the tim-sns commands that send calls: the app's rate budget shared through
// Redis (tim-sns/redis) with every other process that uses the same Redis and SDKAppID. The
// package ships no Redis client: this loads `ioredis` or `redis` (node-redis), whichever is
// installed, from the current project or beside the package.
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { redisRateLimiter } from "../redis/index.mjs";
import { CliError } from "./exit.mjs";

export const REDIS_HELP = `  --redis URL      share the app's rate budget (and its 60007s) with every process that uses
                   this Redis, e.g. redis://127.0.0.1:6379 (needs the ioredis or redis package)`;

/** `argv` without `--redis URL` (or `--redis=URL`), and the URL. */
export function takeRedisOption(argv) {
  const rest = [];
  let url;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--redis") url = argv[++i] ?? "";
    else if (argv[i].startsWith("--redis=")) url = argv[i].slice("--redis=".length);
    else rest.push(argv[i]);
  }
  return { argv: rest, url };
}

/** The module `name` as installed in the current project, else beside this package; null if neither. */
async function load(name) {
  for (const base of [pathToFileURL(join(process.cwd(), "package.json")).href, import.meta.url]) {
    try {
      return await import(pathToFileURL(createRequire(base).resolve(name)).href);
    } catch {
      // Not installed there.
    }
  }
  return null;
}

/**
 * Connects to `url` with ioredis or node-redis and makes the shared budget of `sdkAppId`.
 * Resolves `{ rateLimiter, close }`; rejects with a one-line `CliError` (never the URL, which may
 * hold a password): usage without a URL, config without a client package, unreachable without Redis.
 */
export async function openRedis(url, sdkAppId) {
  if (!url) throw new CliError("usage", "--redis needs a URL, e.g. --redis redis://127.0.0.1:6379");
  const io = await load("ioredis");
  let client, close;
  if (io) {
    const Redis = io.Redis ?? io.default?.Redis ?? io.default;
    client = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
    client.on("error", () => {});
    await client.connect().catch((e) => { throw new CliError("unreachable", `cannot connect to Redis: ${e.message}`); });
    close = () => client.quit();
  } else {
    const nodeRedis = await load("redis");
    if (!nodeRedis) throw new CliError("config", "--redis needs a Redis client: npm install ioredis (or redis)");
    client = (nodeRedis.createClient ?? nodeRedis.default?.createClient)({ url });
    client.on("error", () => {});
    await client.connect().catch((e) => { throw new CliError("unreachable", `cannot connect to Redis: ${e.message}`); });
    close = () => (typeof client.close === "function" ? client.close() : client.quit());
  }
  try {
    return { rateLimiter: redisRateLimiter({ redis: client, sdkAppId }), close };
  } catch (e) {
    await close();
    throw e;
  }
}
