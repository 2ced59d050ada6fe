// Types of `tim-sns` in Node (ESM): everything of the Node build's wasm (web.d.ts: the client
// with the bulk helpers) plus the three migration methods that index.mjs installs on SnsClient.
import type { UserRecord, UserDiff, RecordError, RestoreWrites, ExportOptions } from "./web.js";

export * from "./web.js";
export { default } from "./web.js";

/**
 * A `fetch` for `SnsClient` over `node:http` / `node:https` (pass it as `options.fetch`): the part of
 * fetch the client uses, with less CPU per call and a smaller heap than Node's own fetch. The
 * `tim-sns` command sends through it. ESM only (`await import("tim-sns")` from CommonJS).
 */
export function nodeHttpFetch(
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal },
): Promise<{ status: number; text(): Promise<string> }>;

/** A diff, with the live side's read error when there was one (30003: the user does not exist there). */
export type UserDiffResult = UserDiff & { liveError?: RecordError };

/** Options of `restoreUsers`. */
export interface RestoreOptions extends ExportOptions {
  /** Plan only: read and compare, return the writes in `plan`, send none. */
  dryRun?: boolean;
  /** Import every account a record names (`im_open_login_svc/multiaccount_import`) before writing. */
  createAccounts?: boolean;
  /**
   * With `createAccounts`: records whose accounts are imported together before their users are
   * restored (default 100). Users are restored one by one, at most `concurrency` at once
   * (default 32 for a restore), so memory stays flat either way.
   */
  batchSize?: number;
  /** Settings for the bulk runs (`blockUsers`, `importFriends`, `updateFriends`). */
  bulk?: { concurrency?: number; itemRetries?: number };
  /** Called after every user, in input order. */
  onProgress?: (progress: { users: number; changedUsers: number; failed: number }) => void;
}

/** One write that did not succeed (`failed`), or whose outcome stayed unknown after every attempt and read. */
export interface RestoreFailure {
  command: "group_add" | "black_list_add" | "friend_import" | "friend_update" | "export";
  From_Account: string;
  To_Account?: string;
  GroupName?: string;
  outcome: "failed" | "unknown";
  code?: number;
  info?: string;
}

/** What a restore did. */
export interface RestoreReport {
  /** Records compared with the target. */
  users: number;
  /** Users that needed writes. */
  changedUsers: number;
  /** Records that carry an export error and were not restored. */
  skipped: { From_Account: string; Error: RecordError }[];
  /** Users that did not exist on the target (created first with `createAccounts`). */
  missingAccounts: string[];
  /** Accounts imported with `createAccounts`. */
  createdAccounts: number;
  /** Writes that succeeded: lists created, users blocked, friends imported, friends updated. */
  written: { lists: number; blocks: number; friends: number; updates: number };
  /** Items the service left pending. */
  pending: number;
  /** Every write that failed. */
  failed: RestoreFailure[];
  /** With `dryRun`: the writes a restore would send, per changed user. */
  plan?: RestoreWrites[];
}

declare module "./web.js" {
  interface SnsClient {
    /**
     * Reads each user's whole relationship chain (every friend page, the lists, every blocklist
     * page) and yields one record a user, in input order. A user the service does not know is a
     * record with its `Error`, not an abort.
     */
    exportUsers(userIds: Iterable<string> | AsyncIterable<string>, options?: ExportOptions): AsyncGenerator<UserRecord>;
    /** Compares each snapshot record with the live state of its user and yields the difference. */
    diffUsers(records: Iterable<UserRecord> | AsyncIterable<UserRecord>, options?: ExportOptions): AsyncGenerator<UserDiffResult>;
    /**
     * Writes what each record's user lacks on this client's app: lists, blocks, friends (through
     * `friend_import`, keeping times, remarks, lists and custom fields) and changed remarks, lists
     * and custom fields. Never deletes. Restoring the same snapshot again writes nothing.
     */
    restoreUsers(records: Iterable<UserRecord> | AsyncIterable<UserRecord>, options?: RestoreOptions): Promise<RestoreReport>;
  }
}
