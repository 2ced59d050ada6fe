// Types of `tim-sns` in Node (ESM): everything of the Node build's wasm (web.d.ts: the client
// with the bulk helpers) plus the three migration methods that index.mjs installs on SnsClient.
import type { UserRecord, UserDiff, RecordError, RestoreWrites, ExportOptions, FetchReply, BulkOptions } from "./web.js";

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
): Promise<FetchReply>;

/** A diff, with the live side's read error when there was one (30003: the user does not exist there). */
export type UserDiffResult = UserDiff & {
  /** Why the live user could not be read, when it could not. */
  liveError?: RecordError;
};

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
  bulk?: Pick<BulkOptions, "concurrency" | "itemRetries">;
  /** Called after every user, in input order. */
  onProgress?: (progress: RestoreProgress) => void;
}

/** Where a restore stands, after each user. */
export interface RestoreProgress {
  /** Records done. */
  users: number;
  /** Of them, users that needed writes. */
  changedUsers: number;
  /** Writes failed so far. */
  failed: number;
}

/** One write that did not succeed (`failed`), or whose outcome stayed unknown after every attempt and read. */
export interface RestoreFailure {
  /** The command of the write ("export": the record carried an export error). */
  command: "group_add" | "black_list_add" | "friend_import" | "friend_update" | "export";
  /** The user written. */
  From_Account: string;
  /** The friend or blocked user, for item writes. */
  To_Account?: string;
  /** The list, for `group_add`. */
  GroupName?: string;
  /** "failed" (refused or out of tries) or "unknown" (no reply could say). */
  outcome: "failed" | "unknown";
  /** The item's ResultCode or the request's ErrorCode, when a reply said. */
  code?: number;
  /** Why, in words. */
  info?: string;
}

/** A record that carries an export error, so was not restored. */
export interface SkippedRecord {
  /** The user. */
  From_Account: string;
  /** The export error the record carries. */
  Error: RecordError;
}

/** Writes that succeeded, by kind. */
export interface RestoreWritten {
  /** Friend lists created. */
  lists: number;
  /** Users blocked. */
  blocks: number;
  /** Friends imported. */
  friends: number;
  /** Friends updated. */
  updates: number;
}

/** What a restore did. */
export interface RestoreReport {
  /** Records compared with the target. */
  users: number;
  /** Users that needed writes. */
  changedUsers: number;
  /** Records that carry an export error and were not restored. */
  skipped: SkippedRecord[];
  /** Users that did not exist on the target (created first with `createAccounts`). */
  missingAccounts: string[];
  /** Accounts imported with `createAccounts`. */
  createdAccounts: number;
  /** Writes that succeeded: lists created, users blocked, friends imported, friends updated. */
  written: RestoreWritten;
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
