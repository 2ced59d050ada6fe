// The one thing tim-sns/redis asks of a Redis client: run a Lua script with keys and arguments.
// ioredis and node-redis (the `redis` package, v4 and later) both can, each in its own way; this
// file tells them apart and hides the difference. The package itself depends on neither.

/**
 * A function `(script, keys, args) => Promise<reply>` over the caller's client.
 * ioredis: `eval(script, numKeys, ...keys, ...args)` (recognised by its `evalsha`);
 * node-redis: `eval(script, { keys, arguments })` (recognised by its `evalSha`).
 * @param {unknown} redis
 * @param {string} who the option's owner, for the error message
 * @returns {(script: string, keys: string[], args: (string | number)[]) => Promise<unknown>}
 */
export function adapt(redis, who) {
  const has = (name) => redis != null && typeof redis[name] === "function";
  if (has("evalSha") && has("eval")) {
    return async (script, keys, args) => {
      try {
        return await redis.eval(script, { keys, arguments: args.map(String) });
      } catch (e) {
        // node-redis refuses commands until connect() resolved; say so.
        if (redis.isOpen === false) throw new Error(`the node-redis client is not connected (await client.connect() first): ${e?.message ?? e}`, { cause: e });
        throw e;
      }
    };
  }
  if (has("evalsha") && has("eval")) {
    return (script, keys, args) => redis.eval(script, keys.length, ...keys, ...args.map(String));
  }
  throw new TypeError(`${who}: redis must be an ioredis client (new Redis(url)) or a node-redis client (createClient({ url }), connected)`);
}

/**
 * Rejects an `options` that is not an object or has keys other than `known`; the message names
 * keys, never values (a Redis URL may hold a password).
 */
export function checkKeys(options, known, who) {
  if (options === null || typeof options !== "object") throw new TypeError(`${who}: options must be an object`);
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length) throw new TypeError(`${who}: unknown option${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} (known: ${known.join(", ")})`);
}
