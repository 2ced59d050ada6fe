//! The TypeScript declarations of the bulk helpers' input, options, progress, report and error,
//! which `src/wasm/bulk.rs` reads and writes as plain JS values.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const BULK_TYPES: &'static str = r#"
/** One user's items of a bulk run. */
export interface BulkUser<T> {
  /** The user the items belong to. */
  From_Account: string;
  /** Any number of items; they are sent in calls of the command's largest batch. */
  items: T[];
}

/** Bulk input: one user's items, or a list of users each with items. */
export type BulkInput<T> = BulkUser<T> | BulkUser<T>[];

/** A bulk run's journal: lines of text the run appends and, to resume, reads back. */
export interface BulkJournal {
  /** Appends `text` (whole lines). */
  append(text: string): void | Promise<void>;
  /** Everything appended so far ("" for a new journal). */
  read(): string | Promise<string>;
}

/** Bulk settings. */
export interface BulkOptions {
  /** At most this many users worked on at once (each user's calls always run one after another).
   * Default: adaptive, enough calls in flight to meet `rateLimitPerSecond` at the measured round trip. */
  concurrency?: number;
  /** Extra tries for items that fail with 30006, 30007 or 30008. Default 2. */
  itemRetries?: number;
  /** Fields added to every request body, e.g. { AddType: "Add_Type_Single" } or { CheckType: "CheckResult_Type_Single" }. */
  body?: Record<string, unknown>;
  /** Per-call settings for the calls made. */
  call?: Omit<CallOptions, "signal">;
  /** Called after every call with the items accounted for so far. A throw or rejection goes to
   * the client's `onHookError` (default: `console.warn`); the run goes on. */
  onProgress?: (progress: BulkProgress) => void | Promise<void>;
  /** Deprecated: give `rateLimiter` to `new SnsClient(...)`, where every call uses it. This
   * run's calls use this one instead of the client's (or the built-in budget). If `acquire`
   * throws, rejects or does not settle within the call's timeout, that call is not sent and the
   * run stops with a `BulkError`. */
  rateLimiter?: RateLimiter;
  /** Makes the run resumable: a file path (Node), or an object with `append(text)` and `read()`.
   * A journal that already has lines resumes that run: items with an outcome are not sent again.
   * If `read` or `append` throws or rejects, nothing more is sent and the run stops with a `BulkError`. */
  journal?: string | BulkJournal;
  /** Stops the run cleanly: no new calls, the ones in flight finish, the report says `stopped`. */
  signal?: AbortSignal;
}

/** Where a bulk run stands. */
export interface BulkProgress {
  /** Items with an outcome so far. */
  done: number;
  /** All items of the run. */
  total: number;
  /** Items `failed` so far. */
  failed: number;
  /** Items `already` done before the run, so far. */
  already: number;
  /** Calls sent, reads included. */
  calls: number;
  /** Calls in flight now. */
  inFlight: number;
  /** Users worked on at once now. */
  window: number;
  /** Calls per second since the start. */
  callsPerSecond: number;
  /** The estimated seconds left (absent before the first outcome). */
  etaSeconds?: number;
}

/** The outcome of one input item. */
export interface BulkItem {
  /** Position in the input (the flattened list for several users). */
  index: number;
  /** The item's user. */
  From_Account: string;
  /** The item's target. */
  To_Account: string;
  /** "ok", "pending" (30539), "already" (in place before the run: nothing changed, the item's
   * fields were not applied), "failed" (refused, or out of tries: `info` says which) or "unknown"
   * (the service could not be reached for the outcome within the tries). */
  outcome: ItemOutcome;
  /** The item's ResultCode, or the failed request's ErrorCode; absent when no reply came. */
  code?: number;
  /** Why it failed. */
  info?: string;
  /** friend_check only. */
  relation?: string;
  /** True when `ok` comes from an "already done" answer after an attempt with an unknown outcome. */
  reconciled?: boolean;
  /** Calls this item took part in. */
  attempts: number;
}

/** Every input item with exactly one outcome. */
export interface BulkReport {
  /** All items: the sum of the five outcomes' counts. */
  total: number;
  /** Items `ok`. */
  ok: number;
  /** Items `pending` (30539: awaiting the target's approval). */
  pending: number;
  /** Items `already` in place before the run. */
  already: number;
  /** Items `failed`. */
  failed: number;
  /** Items `unknown`. */
  unknown: number;
  /** Items `ok` by reconciliation. */
  reconciled: number;
  /** The run was stopped (by `signal`, or a failed journal or rateLimiter): unfinished items are
   * `failed` with "not finished"; rerun with the journal. */
  stopped: boolean;
  /** Every input item once, in input order. */
  items: BulkItem[];
}

/** A bulk run stopped because its journal or its rateLimiter failed: no call was sent after the
 * failure, and the calls in flight finished. */
export class BulkError extends TimSnsError {
  /** Always "BulkError". */
  name: "BulkError";
  /** What failed: the journal (`read` or `append`) or `rateLimiter.acquire`. */
  reason: "journal" | "rateLimiter";
  /** What it threw or rejected with. */
  cause: unknown;
  /** What was done: `stopped` is true and every unfinished item is `failed` ("not finished"). */
  report: BulkReport;
}
/** True when `e` is a {@link BulkError} thrown by this package. */
export function isBulkError(e: unknown): e is BulkError;
"#;
