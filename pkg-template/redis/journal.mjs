// redisJournal: a bulk run's journal kept in a Redis list, so that a run can be resumed by any
// process that reaches the same Redis (another worker, another machine). Each append is one
// RPUSH of the lines the run wrote at once; read joins the list. Appends are not retried: a
// failed one stops the run as a failed journal file would (the run's report says what was done).
import { adapt, checkKeys } from "./adapter.mjs";
import { JOURNAL_APPEND, JOURNAL_CLEAR, JOURNAL_READ } from "./scripts.mjs";

const WHO = "redisJournal";

/**
 * The `{ append, read }` journal of bulk runs, in the Redis list `key`; `clear()` deletes it.
 * @param {{ redis: object, key: string }} options
 */
export function redisJournal(options) {
  checkKeys(options, ["redis", "key"], WHO);
  const { redis, key } = options;
  const run = adapt(redis, WHO);
  if (typeof key !== "string" || key === "") throw new TypeError(`${WHO}: key must be a non-empty string`);
  return {
    key,
    async append(text) {
      await run(JOURNAL_APPEND, [key], [text]);
    },
    async read() {
      const parts = await run(JOURNAL_READ, [key], []);
      return Array.isArray(parts) ? parts.map(String).join("") : "";
    },
    async clear() {
      await run(JOURNAL_CLEAR, [key], []);
    },
  };
}
