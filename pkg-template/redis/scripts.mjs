// The Lua scripts tim-sns/redis runs. Each is atomic on the Redis server, and times are Redis's
// own clock (TIME, in microseconds), never a worker's. The budget of one SDKAppID and command is
// one hash with three fields, all times in µs:
//   next  the earliest start the budget can still give (starts are `interval` apart)
//   hold  no start before then (set by a 60007)
//   slow  until then starts are `interval × slow factor` apart (set by a 60007)
// A last, optional argument `now` (µs) replaces TIME: for tests of the decisions only.

/** Lua that sets `now` (µs): ARGV[`arg`] when given (tests), else Redis's TIME. */
const now = (arg) => `local now = tonumber(ARGV[${arg}])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end`;

// Lua's numbers are doubles: µs since 1970 (about 1.8e15) are exact below 2^53, but tostring
// would print them in exponent form, so they are written with %.0f.

/**
 * Reserves the next start of a budget. KEYS[1] the budget; ARGV: interval (µs between starts),
 * horizon (µs: the furthest ahead a start is reserved), slow factor (interval multiplier while
 * penalized), now (µs, or "" for TIME). Returns {1, wait, now}: the start is the caller's in
 * `wait` µs (0: now); or {0, wait, now}: nothing reserved, ask again in `wait` µs. `now` is when
 * the script ran (µs), by which the caller tells how late the reply reached it.
 */
export const ACQUIRE = `${now(4)}
local interval, horizon = tonumber(ARGV[1]), tonumber(ARGV[2])
local f = redis.call('HMGET', KEYS[1], 'next', 'hold', 'slow')
local nxt, hold, slow = tonumber(f[1]) or 0, tonumber(f[2]) or 0, tonumber(f[3]) or 0
if slow > now then interval = math.ceil(interval * tonumber(ARGV[3])) end
local at = math.max(nxt, hold, now)
local wait = at - now
if wait > horizon then return {0, wait - horizon, now} end
local after = at + interval
redis.call('HSET', KEYS[1], 'next', string.format('%.0f', after))
redis.call('PEXPIRE', KEYS[1], math.ceil((math.max(after, hold, slow) - now) / 1000) + 1000)
return {1, wait, now}
`;

/**
 * Records an answer "over the rate": no start for `hold` µs, and starts `slow factor` times
 * further apart for `penalty` µs. KEYS[1] the budget; ARGV: hold, penalty, now (µs, or "").
 * A later penalty extends an earlier one, never shortens it. Returns 1.
 */
export const PENALIZE = `${now(3)}
local f = redis.call('HMGET', KEYS[1], 'next', 'hold', 'slow')
local hold = math.max(tonumber(f[2]) or 0, now + tonumber(ARGV[1]))
local slow = math.max(tonumber(f[3]) or 0, now + tonumber(ARGV[2]))
redis.call('HSET', KEYS[1], 'hold', string.format('%.0f', hold), 'slow', string.format('%.0f', slow))
redis.call('PEXPIRE', KEYS[1], math.ceil((math.max(tonumber(f[1]) or 0, hold, slow) - now) / 1000) + 1000)
return 1
`;

/** Appends ARGV[1] to the journal list KEYS[1]; returns the list's length. */
export const JOURNAL_APPEND = "return redis.call('RPUSH', KEYS[1], ARGV[1])";

/** The journal list KEYS[1], every appended text in order (empty when there is none). */
export const JOURNAL_READ = "return redis.call('LRANGE', KEYS[1], 0, -1)";

/** Deletes the journal KEYS[1]; returns 1 if there was one. */
export const JOURNAL_CLEAR = "return redis.call('DEL', KEYS[1])";
