// tim-sns/redis: many workers of one app sharing its rate budget and their bulk journals
// through the caller's own Redis client (ioredis or node-redis). No wasm, no dependency.
export { redisRateLimiter } from "./limiter.mjs";
export { redisJournal } from "./journal.mjs";
