// tim-sns export | restore | diff: whole relationship chains to and from a snapshot file, over
// the Node build of tim-sns. The decisions are the wasm core's; this reads files, shows
// progress and writes summaries.
import { createWriteStream, writeFileSync } from "node:fs";
import { once } from "node:events";
import { snapshotHeader, parseSnapshotHeader, parseSnapshotRecord } from "../node/index.mjs";
import { CliError, EXIT, fromError } from "./exit.mjs";
import { integer, options } from "./flags.mjs";
import { readLines, readText } from "./input.mjs";
import { progress } from "./progress.mjs";

export const HELP = {
  export: `Usage: tim-sns export (--users FILE | --user ID [--user ID ...]) --out snapshot.jsonl [--custom-tags T1,T2] [--concurrency N]
                     [--encoding NAME] [--json]

Reads every friend (all standard fields and custom Tag_SNS_Custom_* fields), every friend list
(empty ones too) and the blocklist of each user, and writes a snapshot: JSON Lines, a header line
then one record a user. --users is a file with one UserID a line. A user that cannot be read is a
record with its error; the command then exits with 1.`,
  restore: `Usage: tim-sns restore snapshot.jsonl [--dry-run] [--create-accounts] [--failed FILE] [--batch N] [--json]

Writes into the configured app what each user of the snapshot lacks: lists, blocks, friends
(friend_import, keeping add times, sources, remarks, lists and custom fields) and changed remarks,
lists and custom fields. Never deletes; a second restore writes nothing. --dry-run prints the plan
and writes nothing. --create-accounts imports missing accounts first. Failed writes go to --failed
(default SNAPSHOT.failed.jsonl); exits with 1 when anything failed.`,
  diff: `Usage: tim-sns diff snapshot.jsonl [--json]

Compares the snapshot with the live state of its users and prints, per user, what is missing,
extra or different. Exits with 1 when any user differs.`,
};

/** The settings of the migration commands that come from flags, by the path the client reports. */
const FLAGS = { "options.concurrency": "--concurrency", "options.batchSize": "--batch" };

// The client from TIM_* variables and --json, from tim-sns.mjs.
let clientFromEnv, json;
// Requests sent by this run's client (the progress shows calls a second).
let requests = 0;
const counted = () => clientFromEnv({ onRequest: () => void (requests += 1) });

/** The records of a snapshot file, streamed; the header is checked first. */
async function* snapshotRecords(file) {
  let first = true;
  for await (const { line, text } of readLines(file)) {
    if (first) parseSnapshotHeader(text);
    else yield parseSnapshotRecord(text, line);
    first = false;
  }
  if (first) throw new CliError("input", `${file} is empty: a snapshot starts with its header line`);
}

/** The records of a snapshot file (its non-blank lines after the header). */
async function countRecords(file) {
  let n = -1;
  for await (const _ of readLines(file)) n += 1;
  return Math.max(0, n);
}

async function exportCommand(argv) {
  const { values } = options(argv, {
    users: { type: "string" }, user: { type: "string", multiple: true }, out: { type: "string" },
    "custom-tags": { type: "string" }, concurrency: { type: "string" }, encoding: { type: "string" },
  });
  if (values.help || !values.out || (!values.users && !values.user)) return console.log(HELP.export);
  // Whole numbers only here; the range is the client's rule.
  const concurrency = integer(values, "concurrency", { min: -Number.MAX_SAFE_INTEGER });
  const ids = [...(values.user ?? []), ...(values.users ? readText(values.users, values.encoding).split(/\r?\n/).map((l) => l.trim()).filter(Boolean) : [])];
  const client = counted();
  const sdkAppId = Number(process.env.TIM_SDKAPPID);
  const opts = {};
  if (values["custom-tags"]) opts.customTags = values["custom-tags"].split(",").map((t) => t.trim());
  if (concurrency !== undefined) opts.concurrency = concurrency;
  const out = createWriteStream(values.out);
  const write = async (obj) => {
    if (!out.write(JSON.stringify(obj) + "\n")) await once(out, "drain");
  };
  const bar = progress("export", ids.length, "users");
  const started = Date.now();
  let done = 0, failed = 0, friends = 0;
  try {
    await write(snapshotHeader(sdkAppId));
    for await (const record of client.exportUsers(ids, opts)) {
      done += 1;
      if (record.Error) failed += 1;
      friends += record.Friends.length;
      await write(record);
      bar.update(rate(started, done, ids.length, failed));
    }
  } catch (e) {
    throw fromError(e, "input", FLAGS);
  } finally {
    bar.stop();
  }
  out.end();
  await once(out, "finish");
  if (json) console.log(JSON.stringify({ command: "export", users: done, failed, friends, out: values.out }));
  else console.log(`exported ${done - failed} of ${done} users (${friends} friends) to ${values.out}${failed ? `; ${failed} could not be read` : ""}`);
  return failed ? EXIT.failed : EXIT.ok;
}

/** Progress of `done` of `total` users since `started`: calls a second, and the time left at the pace of users so far. */
function rate(started, done, total, failed) {
  const seconds = Math.max(0.001, (Date.now() - started) / 1000);
  const callsPerSecond = Math.round((requests / seconds) * 10) / 10;
  return { done, failed, callsPerSecond, etaSeconds: done ? Math.round((total - done) / (done / seconds)) : undefined };
}

async function restoreCommand(argv) {
  const { values, positionals } = options(argv, {
    "dry-run": { type: "boolean" }, "create-accounts": { type: "boolean" }, failed: { type: "string" }, batch: { type: "string" },
  });
  const file = positionals[0];
  if (values.help || !file) return console.log(HELP.restore);
  const batch = integer(values, "batch", { min: -Number.MAX_SAFE_INTEGER });
  const client = counted();
  const total = await countRecords(file);
  const bar = progress(values["dry-run"] ? "plan" : "restore", total, "users");
  const started = Date.now();
  let report;
  try {
    report = await client.restoreUsers(snapshotRecords(file), {
      dryRun: values["dry-run"], createAccounts: values["create-accounts"],
      ...(batch === undefined ? {} : { batchSize: batch }),
      onProgress: (p) => bar.update(rate(started, p.users, total, p.failed)),
    });
  } catch (e) {
    throw fromError(e, "input", FLAGS);
  } finally {
    bar.stop();
  }
  const failedOut = report.failed.length ? values.failed ?? `${file}.failed.jsonl` : null;
  if (failedOut) writeFileSync(failedOut, report.failed.map((f) => JSON.stringify(f)).join("\n") + "\n");
  const code = report.failed.length || report.skipped.length || (report.missingAccounts.length && !values["create-accounts"]) ? EXIT.failed : EXIT.ok;
  if (json) {
    const { plan, ...rest } = report;
    console.log(JSON.stringify({ command: "restore", dryRun: Boolean(values["dry-run"]), ...rest, ...(plan ? { plan } : {}), failedFile: failedOut }));
    return code;
  }
  if (values["dry-run"]) {
    for (const w of report.plan) {
      console.log(`${w.From_Account}: ${w.groupAdd.reduce((n, b) => n + b.GroupName.length, 0)} lists, ${w.block.length} blocks, ${w.import.length} friends to import, ${w.update.length} to update`);
    }
    console.log(`dry run: ${report.changedUsers} of ${report.users} users need writes; nothing was written`);
  } else {
    const w = report.written;
    console.log(`restored ${report.users} users: ${w.lists} lists, ${w.blocks} blocks, ${w.friends} friends imported, ${w.updates} updated; ${report.pending} pending, ${report.failed.length} failed`);
  }
  if (report.missingAccounts.length) console.log(`accounts missing on the target: ${report.missingAccounts.length}${values["create-accounts"] ? ` (${report.createdAccounts} created)` : " (pass --create-accounts to import them first)"}`);
  if (report.skipped.length) console.log(`${report.skipped.length} records carry an export error and were skipped`);
  if (failedOut) {
    console.log(`failed writes written to ${failedOut}`);
    for (const f of report.failed.slice(0, 5)) console.log(`  ${f.command} ${f.From_Account} → ${f.To_Account ?? f.GroupName ?? ""}: ${f.code ?? "-"} ${f.info ?? ""}`);
  }
  return code;
}

async function diffCommand(argv) {
  const { values, positionals } = options(argv, {});
  const file = positionals[0];
  if (values.help || !file) return console.log(HELP.diff);
  const client = counted();
  const total = await countRecords(file);
  const bar = progress("diff", total, "users");
  const started = Date.now();
  let users = 0, differing = 0;
  try {
    for await (const d of client.diffUsers(snapshotRecords(file))) {
      users += 1;
      bar.update(rate(started, users, total, differing));
      const parts = [
        ["missing friends", d.missingFriends.length], ["extra friends", d.extraFriends.length], ["different friends", d.differentFriends.length],
        ["missing lists", d.missingLists.length], ["extra lists", d.extraLists.length], ["missing blocks", d.missingBlocks.length], ["extra blocks", d.extraBlocks.length],
      ].filter(([, n]) => n);
      if (!parts.length && !d.liveError) continue;
      differing += 1;
      if (json) console.log(JSON.stringify(d));
      else console.log(`${d.From_Account}: ${parts.map(([k, n]) => `${n} ${k}`).join(", ")}${d.liveError ? ` (live read: ${d.liveError.code} ${d.liveError.info})` : ""}`);
    }
  } catch (e) {
    throw fromError(e, "input", FLAGS);
  } finally {
    bar.stop();
  }
  if (!json) console.log(differing ? `${differing} of ${users} users differ from the snapshot` : `all ${users} users match the snapshot`);
  return differing ? EXIT.failed : EXIT.ok;
}

/** Runs one of the migration commands (`cli`: clientFromEnv and json); resolves its exit code. */
export async function main(command, argv, cli) {
  ({ clientFromEnv, json } = cli);
  return { export: exportCommand, restore: restoreCommand, diff: diffCommand }[command](argv);
}
