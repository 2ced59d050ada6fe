// redisRateLimiter: one rate budget per SDKAppID and command, kept in Redis and shared by every
// process that uses the same Redis, for SnsClient's `rateLimiter` option.
//
// The guarantee is the built-in budget's: no window of `1000 + marginMs` ms holds more than
// `floor(share × ratePerSecond)` starts. Starts are spaced evenly, `(1000 + marginMs) / limit`
// ms apart on Redis's clock (pacing, never a burst at a second's edge): an acquire reserves the
// next free start in one atomic script and sleeps until it, so waiters wake one at a time and
// no worker's clock is trusted. The margin covers how much the delay from Redis's grant to the
// service's count varies between calls (the Redis reply, the worker's timers, the route).
// Starts are reserved at most `HORIZON_MS` ahead; a caller further back in the queue is told
// when to ask again, and asks with a little jitter. A start that this process reaches more than
// half the margin late (a reply that came back slowly, a stalled event loop that wakes many
// timers at once) is given up and asked for again, so that a stall never turns into a burst.
//
// After an answer "over the rate" (`penalize`), as the built-in budget does, every worker holds
// new starts briefly and then runs slower for a minute. When Redis cannot be reached, acquire
// retries (with backoff) until the call's signal aborts, then rejects: never unlimited.
import { adapt, checkKeys } from "./adapter.mjs";
import { ACQUIRE, PENALIZE } from "./scripts.mjs";

const WHO = "redisRateLimiter";
/** The service's one-second window, ms. */
const WINDOW_MS = 1000;
/** Default widening of the window, ms: the spread of the grant-to-count delay it covers. Twice the
 * built-in budget's: a start is counted when granted, not when the reply shows where the count fell,
 * and the grant crosses a network to Redis before the call crosses another to the service
 * (docs/several-workers.md: 50 ms let through a 60007 in a third of the benchmark's rounds). */
const DEFAULT_MARGIN_MS = 100;
/** The furthest ahead a start is reserved, ms. */
const HORIZON_MS = 1000;
/** After a 60007: no new start for this long, ms (the built-in budget's hold). */
const HOLD_MS = 50;
/** After a 60007: starts are further apart for this long, ms (the built-in budget's penalty). */
const PENALTY_MS = 60_000;
/** ... by this factor: 0.8 of the share, where the service's own warning starts. */
const SLOW_FACTOR = 1.25;
/** Most jitter added to an "ask again", ms, so that waiters do not ask at once. */
const JITTER_MS = 20;
/** Backoff after a Redis error, ms: doubling from the first to the last. */
const BACKOFF_MS = [25, 1000];
/** How long an acquire without a signal keeps trying an unreachable Redis, ms. */
const NO_SIGNAL_LIMIT_MS = 30_000;

const KNOWN = ["redis", "sdkAppId", "share", "ratePerSecond", "marginMs", "prefix"];

/**
 * A rate budget shared through Redis. See pkg-template/redis/index.d.ts for the options.
 * @param {{ redis: object, sdkAppId: number, share?: number, ratePerSecond?: number, marginMs?: number, prefix?: string }} options
 */
export function redisRateLimiter(options) {
  checkKeys(options, KNOWN, WHO);
  const { redis, sdkAppId, share = 1, ratePerSecond = 200, marginMs = DEFAULT_MARGIN_MS, prefix = "tim-sns" } = options;
  const run = adapt(redis, WHO);
  if (!Number.isSafeInteger(sdkAppId) || sdkAppId < 1) throw new TypeError(`${WHO}: sdkAppId must be a positive integer`);
  if (typeof share !== "number" || !(share > 0 && share <= 1)) throw new RangeError(`${WHO}: share must be a number above 0 and at most 1, got ${share}`);
  if (!Number.isSafeInteger(ratePerSecond) || ratePerSecond < 1) throw new RangeError(`${WHO}: ratePerSecond must be a positive integer, got ${ratePerSecond}`);
  if (typeof marginMs !== "number" || !(marginMs >= 0 && marginMs <= 10_000)) throw new RangeError(`${WHO}: marginMs must be 0 to 10000, got ${marginMs}`);
  if (typeof prefix !== "string" || prefix === "") throw new TypeError(`${WHO}: prefix must be a non-empty string`);
  const limit = Math.floor(share * ratePerSecond);
  if (limit < 1) throw new RangeError(`${WHO}: share × ratePerSecond is below one call per second`);
  const intervalUs = Math.ceil(((WINDOW_MS + marginMs) * 1000) / limit);
  const key = (command) => `${prefix}:rate:${sdkAppId}:${command}`;
  // Half the margin covers a start later than its grant; the other half the route's spread.
  const lateMs = marginMs / 2;
  let late = 0;
  const replyDelay = new ReplyDelay();
  const checkCommand = (command) => {
    if (typeof command !== "string" || command === "") throw new TypeError(`${WHO}: the command must be a non-empty string`);
  };

  async function acquire(command, { signal } = {}) {
    checkCommand(command);
    const own = signal ?? AbortSignal.timeout(NO_SIGNAL_LIMIT_MS);
    let failures = 0;
    let lastError;
    for (;;) {
      let reply;
      const asked = performance.now();
      try {
        reply = await untilAborted(run(ACQUIRE, [key(command)], [intervalUs, HORIZON_MS * 1000, SLOW_FACTOR, ""]), own);
      } catch (e) {
        if (e === ABORTED) throw unreachable(command, lastError, "Redis did not answer");
        lastError = e;
        failures++;
        const [first, last] = BACKOFF_MS;
        const backoff = Math.min(last, first * 2 ** (failures - 1));
        if (!(await sleep(backoff * (0.5 + Math.random() / 2), own))) throw unreachable(command, lastError, "Redis failed");
        continue;
      }
      const [granted, waitUs, ranUs] = parseReply(reply);
      if (granted) {
        // Redis ran the script before now: sleeping `wait` from now never starts before the
        // reserved time (which would bunch with the start before). A start much later than
        // reserved (a reply that took long to come back, a late timer, a stalled process) would
        // bunch with the starts after it: it is given up, and a new one taken.
        const replyLate = replyDelay.late(performance.now(), ranUs, asked);
        const woke = performance.now() + waitUs / 1000;
        const slept = await sleep(waitUs / 1000, own);
        if (!slept) throw new Error(`tim-sns/redis: the call's deadline came before its turn in the shared budget of ${command} (more callers than ${limit} calls/s can serve)`);
        if (replyLate + (performance.now() - woke) <= lateMs) return;
        late++;
        continue;
      }
      if (!(await sleep(waitUs / 1000 + Math.random() * JITTER_MS, own))) {
        throw new Error(`tim-sns/redis: the call's deadline came before its turn in the shared budget of ${command} (more callers than ${limit} calls/s can serve)`);
      }
    }
  }

  async function penalize(command) {
    checkCommand(command);
    await run(PENALIZE, [key(command)], [HOLD_MS * 1000, PENALTY_MS * 1000, ""]);
  }

  return {
    acquire, penalize, limit, intervalMs: intervalUs / 1000, key,
    get lateStarts() { return late; },
  };
}

/** The error after Redis could not be used until the deadline: what happened, no secrets. */
function unreachable(command, lastError, what) {
  const last = lastError ? `; last error: ${lastError.message ?? lastError}` : " (is it reachable, or paused?)";
  return new Error(`tim-sns/redis: ${what} before the call's deadline, so the call of ${command} was not let through${last}`, { cause: lastError });
}

/** [granted, wait µs, when the script ran µs] from the script's reply. */
function parseReply(reply) {
  if (!Array.isArray(reply) || reply.length !== 3) throw new Error(`tim-sns/redis: unexpected reply from the budget script: ${JSON.stringify(reply)}`);
  return [Number(reply[0]) === 1, Math.max(0, Number(reply[1])), Number(reply[2])];
}

/** Replies remembered for the quickest way back. */
const REPLY_SAMPLES = 64;

/**
 * How late a reply reached this process after Redis ran the script: the time from the script
 * (on Redis's clock) to the reply's arrival (on this one), less the least of that over recent
 * replies (the clocks' offset plus the quickest way back). The clocks are never compared
 * otherwise; a jump of Redis's clock is forgotten after REPLY_SAMPLES replies. Without a usable
 * time from Redis, the whole round trip counts.
 */
class ReplyDelay {
  recent = [];
  late(arrivedMs, ranUs, askedMs) {
    if (!Number.isFinite(ranUs) || ranUs <= 0) return arrivedMs - askedMs;
    const seen = arrivedMs - ranUs / 1000;
    this.recent.push(seen);
    if (this.recent.length > REPLY_SAMPLES) this.recent.shift();
    return Math.min(arrivedMs - askedMs, seen - Math.min(...this.recent));
  }
}

const ABORTED = Symbol("aborted");

/** `promise`, or a rejection with ABORTED when `signal` aborts first. */
function untilAborted(promise, signal) {
  if (signal.aborted) return Promise.reject(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(ABORTED);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => { signal.removeEventListener("abort", onAbort); resolve(v); },
      (e) => { signal.removeEventListener("abort", onAbort); reject(e); },
    );
  });
}

/** Sleeps `ms` (none when not above 0); false when `signal` aborted first (or before). */
function sleep(ms, signal) {
  if (signal.aborted) return Promise.resolve(false);
  if (!(ms > 0)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => { clearTimeout(timer); resolve(false); };
    const timer = setTimeout(() => { signal.removeEventListener("abort", onAbort); resolve(true); }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
