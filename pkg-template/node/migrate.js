// Export, diff and restore of whole relationship chains, as SnsClient methods. This file only
// runs the wasm core's steps over many users and sends the writes: one user's reads
// (SnsClient.exportUser, sent inside the core), what differs (diffUser) and what to write
// (restoreWrites) are decided there.

/** Most accounts one `multiaccount_import` takes. */
const ACCOUNT_IMPORT_CAP = 100;

/** Turns an array, an iterable or an async iterable into an async iterator. */
async function* each(source) {
  for await (const x of source) yield x;
}

/** Runs `work` over `source` with at most `n` in flight, yielding results in input order. */
async function* ordered(source, n, work) {
  const inflight = [];
  for await (const x of each(source)) {
    inflight.push(work(x));
    if (inflight.length >= n) yield await inflight.shift();
  }
  while (inflight.length) yield await inflight.shift();
}

/** Installs exportUsers, diffUsers and restoreUsers on the entry's SnsClient. */
export function installMigration(core) {
  const { SnsClient, diffUser, diffHasWrites, restoreWrites, recordAccounts, isApiError } = core;

  const concurrency = (options) => Math.max(1, Math.floor(options.concurrency ?? 16));

  /** Live records of `records`' users, paired with their snapshot records. */
  function live(client, records, options) {
    return ordered(records, concurrency(options), async (record) => ({ record, live: await client.exportUser(record.From_Account, options) }));
  }

  SnsClient.prototype.exportUsers = function exportUsers(userIds, options = {}) {
    return ordered(userIds, concurrency(options), (id) => this.exportUser(id, options));
  };

  SnsClient.prototype.diffUsers = async function* diffUsers(records, options = {}) {
    for await (const { record, live: now } of live(this, records, options)) {
      const missing = now.Error?.code === 30003;
      const diff = diffUser(record, missing ? { From_Account: record.From_Account } : now);
      yield now.Error ? { ...diff, liveError: now.Error } : diff;
    }
  };

  SnsClient.prototype.restoreUsers = async function restoreUsers(records, options = {}) {
    const batchSize = Math.max(1, Math.floor(options.batchSize ?? 100));
    const bulk = { ...(options.bulk ?? {}), call: options.call };
    const report = {
      users: 0, changedUsers: 0, skipped: [], missingAccounts: [], createdAccounts: 0,
      written: { lists: 0, blocks: 0, friends: 0, updates: 0 }, pending: 0, failed: [],
      ...(options.dryRun ? { plan: [] } : {}),
    };
    const progress = () => options.onProgress?.({ users: report.users, changedUsers: report.changedUsers, failed: report.failed.length });
    const fromBulk = (command, r) => {
      report.pending += r.pending;
      for (const item of r.items) if (item.outcome === "failed" || item.outcome === "unknown") report.failed.push({ command, ...item });
      return r.ok;
    };

    // Batches overlap: one batch's reads (and account imports) run while the previous batch's
    // writes do. Those are calls of other commands, each with its own budget at the service, so
    // the restore is paced by its busiest command rather than by the sum of them. A user is in
    // one batch only, and batches write one after another, so a user's writes keep the core's
    // order and never overlap. (The one write that changes another user, a block ending a
    // friendship both ways, may land after that user was read: a snapshot that holds both the
    // block and the friendship cannot be restored in one pass either way.)
    let writing = Promise.resolve();
    let batch = [];
    const flush = async () => {
      let work;
      try {
        work = await plan();
      } catch (e) {
        // No writes left running behind a failed restore.
        await writing.catch(() => {});
        throw e;
      }
      await writing;
      writing = write(work);
      // Awaited by the next batch or at the end; this keeps a failure from being unhandled
      // while the next batch reads.
      writing.catch(() => {});
    };
    /** This batch's reads: what each user lacks, as writes. */
    const plan = async () => {
      const records = batch.filter((r) => {
        if (r.Error) report.skipped.push({ From_Account: r.From_Account, Error: r.Error });
        return !r.Error;
      });
      batch = [];
      if (options.createAccounts && !options.dryRun) {
        const ids = [...new Set(records.flatMap((r) => recordAccounts(r)))];
        for (let i = 0; i < ids.length; i += ACCOUNT_IMPORT_CAP) {
          const reply = await this.request("im_open_login_svc/multiaccount_import", { Accounts: ids.slice(i, i + ACCOUNT_IMPORT_CAP) }, options.call);
          report.createdAccounts += ids.slice(i, i + ACCOUNT_IMPORT_CAP).length - (reply.FailAccounts?.length ?? 0);
        }
      }
      const work = { groupAdd: [], block: [], import: [], update: [] };
      for await (const { record, live: now } of live(this, records, options)) {
        report.users += 1;
        if (now.Error?.code === 30003) report.missingAccounts.push(record.From_Account);
        else if (now.Error) {
          report.failed.push({ command: "export", From_Account: record.From_Account, outcome: "failed", code: now.Error.code, info: now.Error.info });
          continue;
        }
        const diff = diffUser(record, now.Error ? { From_Account: record.From_Account } : now);
        if (!diffHasWrites(diff)) continue;
        report.changedUsers += 1;
        const w = restoreWrites(diff);
        if (options.dryRun) {
          report.plan.push(w);
          continue;
        }
        work.groupAdd.push(...w.groupAdd);
        if (w.block.length) work.block.push({ From_Account: w.From_Account, items: w.block });
        if (w.import.length) work.import.push({ From_Account: w.From_Account, items: w.import });
        if (w.update.length) work.update.push({ From_Account: w.From_Account, items: w.update });
      }
      return work;
    };
    const write = async (work) => {
      // The core's order: lists, then blocks, then friends, then updates. Lists go one user's
      // bodies after another, several users at once.
      const lists = new Map();
      for (const body of work.groupAdd) {
        const bodies = lists.get(body.From_Account);
        if (bodies) bodies.push(body);
        else lists.set(body.From_Account, [body]);
      }
      for await (const _ of ordered(lists.values(), concurrency(options), (bodies) => groupAdd(bodies))) { /* each user's lists */ }
      if (work.block.length) report.written.blocks += fromBulk("black_list_add", await this.blockUsers(work.block, bulk));
      if (work.import.length) report.written.friends += fromBulk("friend_import", await this.importFriends(work.import, bulk));
      if (work.update.length) report.written.updates += fromBulk("friend_update", await this.updateFriends(work.update, bulk));
      progress();
    };
    const groupAdd = async (bodies) => {
      for (const body of bodies) {
        try {
          await this.request("group_add", body, options.call);
          report.written.lists += body.GroupName.length;
        } catch (e) {
          for (const name of body.GroupName) {
            report.failed.push({ command: "group_add", From_Account: body.From_Account, GroupName: name, outcome: "failed", code: isApiError(e) ? e.errorCode : undefined, info: e.message });
          }
        }
      }
    };
    for await (const record of each(records)) {
      batch.push(record);
      if (batch.length >= batchSize) await flush();
    }
    if (batch.length) await flush();
    await writing;
    return report;
  };
}
