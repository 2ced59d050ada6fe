// Export, diff and restore of whole relationship chains, as SnsClient methods. This file only
// runs the wasm core's steps over many users and sends the writes: one user's reads
// (SnsClient.exportUser, sent inside the core, its three reads at once), what differs (diffUser),
// and for a restore the reads, the comparison and the writes to send (planRestoreUser) are
// decided there.

/** Turns an array, an iterable or an async iterable into an async iterator. */
async function* each(source) {
  for await (const x of source) yield x;
}

/** How many results `ordered` may hold finished ahead of the one it waits for, per task in flight. */
const AHEAD = 4;

/**
 * Runs `work` over `source` with at most `n` in flight, yielding results in input order. A task
 * that is slow to finish does not stop the others: new ones start as tasks end, while the
 * finished results wait for their turn, up to `AHEAD × n` of them, so memory stays bounded.
 */
async function* ordered(source, n, work) {
  const queue = []; // started, not yet yielded, in input order
  let running = 0;
  let freed = null; // wakes the loop when a task ends
  const start = (x) => {
    running += 1;
    const entry = { done: false };
    entry.result = Promise.resolve().then(() => work(x)).finally(() => {
      entry.done = true;
      running -= 1;
      const wake = freed;
      freed = null;
      wake?.();
    });
    // Awaited in order below; a rejection must not go unhandled while earlier results wait.
    entry.result.catch(() => {});
    queue.push(entry);
  };
  try {
    for await (const x of each(source)) {
      while (queue[0]?.done) yield await queue.shift().result;
      while (running >= n) {
        if (queue.length >= n * AHEAD) yield await queue.shift().result;
        else await new Promise((wake) => (freed = wake));
        while (queue[0]?.done) yield await queue.shift().result;
      }
      start(x);
    }
    while (queue.length) yield await queue.shift().result;
  } catch (e) {
    // No task left running behind a failure (a restore's writes, say).
    await Promise.allSettled(queue.map((entry) => entry.result));
    throw e;
  }
}

/** Installs exportUsers, diffUsers and restoreUsers on the entry's SnsClient. */
export function installMigration(core) {
  const { SnsClient, diffUser, recordAccounts, isApiError, migrationSettings } = core;
  // Users in flight (and accounts per import): the core's defaults and rules
  // (src/migrate/settings.rs); a bad value throws a ValidationError naming it.
  const concurrency = (options, run = "export") => migrationSettings(run, options).concurrency;

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
    const { concurrency: usersInFlight, batchSize, accountsPerCall } = migrationSettings("restore", options);
    const bulk = { ...(options.bulk ?? {}), call: options.call };
    const report = {
      users: 0, changedUsers: 0, skipped: [], missingAccounts: [], createdAccounts: 0,
      written: { lists: 0, blocks: 0, friends: 0, updates: 0 }, pending: 0, failed: [],
      ...(options.dryRun ? { plan: [] } : {}),
    };

    // A pipeline of users: each is read, compared and written on its own (restoreUser), a
    // user's writes starting as soon as its own reads are done, with at most `concurrency`
    // users in flight (and their results merged into the report in input order), so memory
    // stays flat and no user waits for others' reads. Users in flight write calls of
    // several commands at once, each command paced by the client's own budget. One user's
    // writes keep the core's order and never overlap. (The one write that changes another
    // user, a block ending a friendship both ways, may land after that user was read: a
    // snapshot that holds both the block and the friendship cannot be restored in one pass
    // either way.)
    for await (const part of ordered(admitted(this), usersInFlight, (record) => restoreUser(this, record))) {
      report.users += 1;
      if (part.missing) report.missingAccounts.push(part.missing);
      if (part.changed) report.changedUsers += 1;
      if (part.plan) report.plan.push(part.plan);
      for (const k of Object.keys(report.written)) report.written[k] += part.written[k];
      report.pending += part.pending;
      report.failed.push(...part.failed);
      options.onProgress?.({ users: report.users, changedUsers: report.changedUsers, failed: report.failed.length });
    }
    return report;

    /** The records to restore; with `createAccounts`, the accounts of each chunk are imported first. */
    async function* admitted(client) {
      let chunk = [];
      const importAccounts = async () => {
        const ids = [...new Set(chunk.flatMap((r) => recordAccounts(r)))];
        for (let i = 0; i < ids.length; i += accountsPerCall) {
          const reply = await client.request("im_open_login_svc/multiaccount_import", { Accounts: ids.slice(i, i + accountsPerCall) }, options.call);
          report.createdAccounts += ids.slice(i, i + accountsPerCall).length - (reply.FailAccounts?.length ?? 0);
        }
      };
      for await (const record of each(records)) {
        if (record.Error) {
          report.skipped.push({ From_Account: record.From_Account, Error: record.Error });
          continue;
        }
        if (!options.createAccounts || options.dryRun) {
          yield record;
          continue;
        }
        chunk.push(record);
        if (chunk.length >= batchSize) {
          await importAccounts();
          yield* chunk;
          chunk = [];
        }
      }
      if (chunk.length) {
        await importAccounts();
        yield* chunk;
      }
    }

    /** One user: its reads, what it lacks, then its writes in the core's order. */
    async function restoreUser(client, record) {
      const part = { missing: undefined, changed: false, plan: undefined, written: { lists: 0, blocks: 0, friends: 0, updates: 0 }, pending: 0, failed: [] };
      // Read, compared and planned in the core; the live record never becomes a JS object.
      const plan = await client.planRestoreUser(record, options);
      if (plan.missing) part.missing = record.From_Account;
      if (plan.liveError) part.failed.push({ command: "export", From_Account: record.From_Account, outcome: "failed", code: plan.liveError.code, info: plan.liveError.info });
      const w = plan.writes;
      if (!w) return part;
      part.changed = true;
      if (options.dryRun) {
        part.plan = w;
        return part;
      }
      const fromBulk = (command, r) => {
        part.pending += r.pending;
        for (const item of r.items) if (item.outcome === "failed" || item.outcome === "unknown") part.failed.push({ command, ...item });
        return r.ok;
      };
      // The core's order: lists, then blocks, then friends, then updates.
      for (const body of w.groupAdd) {
        try {
          await client.request("group_add", body, options.call);
          part.written.lists += body.GroupName.length;
        } catch (e) {
          for (const name of body.GroupName) {
            part.failed.push({ command: "group_add", From_Account: body.From_Account, GroupName: name, outcome: "failed", code: isApiError(e) ? e.errorCode : undefined, info: e.message });
          }
        }
      }
      const items = (list) => [{ From_Account: w.From_Account, items: list }];
      if (w.block.length) part.written.blocks += fromBulk("black_list_add", await client.blockUsers(items(w.block), bulk));
      if (w.import.length) part.written.friends += fromBulk("friend_import", await client.importFriends(items(w.import), bulk));
      if (w.update.length) part.written.updates += fromBulk("friend_update", await client.updateFriends(items(w.update), bulk));
      return part;
    }
  };
}
