// tim-sns export | restore | diff: whole relationship chains to and from a snapshot file, over
// the Node build of tim-sns. The decisions are the wasm core's; this reads files, shows
// progress and writes summaries.
import { createReadStream, createWriteStream, readFileSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { snapshotHeader, parseSnapshotHeader, parseSnapshotRecord } from "../node/index.mjs";

export const HELP = {
  export: `Usage: tim-sns export (--users FILE | --user ID [--user ID ...]) --out snapshot.jsonl [--custom-tags T1,T2] [--concurrency N]

Reads every friend (all standard fields and custom Tag_SNS_Custom_* fields), every friend list
(empty ones too) and the blocklist of each user, and writes a snapshot: JSON Lines, a header line
then one record a user. --users is a file with one UserID a line. A user that cannot be read is a
record with its error; the command then exits with 1.`,
  restore: `Usage: tim-sns restore snapshot.jsonl [--dry-run] [--create-accounts] [--failed FILE] [--batch N]

Writes into the configured app what each user of the snapshot lacks: lists, blocks, friends
(friend_import, keeping add times, sources, remarks, lists and custom fields) and changed remarks,
lists and custom fields. Never deletes; a second restore writes nothing. --dry-run prints the plan
and writes nothing. --create-accounts imports missing accounts first. Failed writes go to --failed
(default SNAPSHOT.failed.jsonl); exits with 1 when anything failed.`,
  diff: `Usage: tim-sns diff snapshot.jsonl [--json]

Compares the snapshot with the live state of its users and prints, per user, what is missing,
extra or different. Exits with 1 when any user differs.`,
};

// The command's shared helpers (parsing, failing, the client from TIM_* variables), from tim-sns.mjs.
let options, fail, describe, clientFromEnv;

/** A bar on a terminal, a line per 10% otherwise. */
function progress(label, total) {
  const tty = process.stderr.isTTY;
  let shown = -1;
  return {
    show(done, failed) {
      if (tty) {
        const filled = total ? Math.round((done / total) * 30) : 0;
        process.stderr.write(`\r${label} [${"#".repeat(filled)}${" ".repeat(30 - filled)}] ${done}/${total} users, ${failed} failed`);
      } else {
        const decile = total ? Math.floor((done / total) * 10) : 10;
        if (decile !== shown) {
          shown = decile;
          process.stderr.write(`${label}: ${done}/${total} users (${failed} failed)\n`);
        }
      }
    },
    end() {
      if (tty) process.stderr.write("\n");
    },
  };
}

/** The records of a snapshot file, streamed; the header is checked first. */
async function* snapshotRecords(file) {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n += 1;
    if (line.trim() === "") continue;
    if (n === 1) parseSnapshotHeader(line);
    else yield parseSnapshotRecord(line, n);
  }
  if (n === 0) throw new Error(`${file} is empty: a snapshot starts with its header line`);
}

async function countRecords(file) {
  let n = -1;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) if (line.trim()) n += 1;
  return Math.max(0, n);
}

async function exportCommand(argv) {
  const { values } = options(argv, {
    users: { type: "string" }, user: { type: "string", multiple: true }, out: { type: "string" },
    "custom-tags": { type: "string" }, concurrency: { type: "string" },
  });
  if (values.help || !values.out || (!values.users && !values.user)) return console.log(HELP.export);
  const ids = [...(values.user ?? []), ...(values.users ? readFileSync(values.users, "utf8").split(/\r?\n/).map((l) => l.trim()).filter(Boolean) : [])];
  const client = clientFromEnv();
  const sdkAppId = Number(process.env.TIM_SDKAPPID);
  const opts = {};
  if (values["custom-tags"]) opts.customTags = values["custom-tags"].split(",").map((t) => t.trim());
  if (values.concurrency) opts.concurrency = Number(values.concurrency);
  const out = createWriteStream(values.out);
  const write = async (obj) => {
    if (!out.write(JSON.stringify(obj) + "\n")) await once(out, "drain");
  };
  const bar = progress("export", ids.length);
  let done = 0, failed = 0, friends = 0;
  try {
    await write(snapshotHeader(sdkAppId));
    for await (const record of client.exportUsers(ids, opts)) {
      done += 1;
      if (record.Error) failed += 1;
      friends += record.Friends.length;
      await write(record);
      bar.show(done, failed);
    }
  } catch (e) {
    fail(describe(e));
  }
  out.end();
  await once(out, "finish");
  bar.end();
  console.log(`exported ${done - failed} of ${done} users (${friends} friends) to ${values.out}${failed ? `; ${failed} could not be read` : ""}`);
  if (failed) process.exitCode = 1;
}

async function restoreCommand(argv) {
  const { values, positionals } = options(argv, {
    "dry-run": { type: "boolean" }, "create-accounts": { type: "boolean" }, failed: { type: "string" }, batch: { type: "string" },
  });
  const file = positionals[0];
  if (values.help || !file) return console.log(HELP.restore);
  const client = clientFromEnv();
  const bar = progress(values["dry-run"] ? "plan" : "restore", await countRecords(file));
  let report;
  try {
    report = await client.restoreUsers(snapshotRecords(file), {
      dryRun: values["dry-run"], createAccounts: values["create-accounts"],
      ...(values.batch ? { batchSize: Number(values.batch) } : {}),
      onProgress: (p) => bar.show(p.users, p.failed),
    });
  } catch (e) {
    fail(describe(e));
  }
  bar.end();
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
  if (report.failed.length) {
    const out = values.failed ?? `${file}.failed.jsonl`;
    writeFileSync(out, report.failed.map((f) => JSON.stringify(f)).join("\n") + "\n");
    console.log(`failed writes written to ${out}`);
    for (const f of report.failed.slice(0, 5)) console.log(`  ${f.command} ${f.From_Account} → ${f.To_Account ?? f.GroupName ?? ""}: ${f.code ?? "-"} ${f.info ?? ""}`);
  }
  if (report.failed.length || report.skipped.length || (report.missingAccounts.length && !values["create-accounts"])) process.exitCode = 1;
}

async function diffCommand(argv) {
  const { values, positionals } = options(argv, { json: { type: "boolean" } });
  const file = positionals[0];
  if (values.help || !file) return console.log(HELP.diff);
  const client = clientFromEnv();
  let users = 0, differing = 0;
  try {
    for await (const d of client.diffUsers(snapshotRecords(file))) {
      users += 1;
      const parts = [
        ["missing friends", d.missingFriends.length], ["extra friends", d.extraFriends.length], ["different friends", d.differentFriends.length],
        ["missing lists", d.missingLists.length], ["extra lists", d.extraLists.length], ["missing blocks", d.missingBlocks.length], ["extra blocks", d.extraBlocks.length],
      ].filter(([, n]) => n);
      if (!parts.length && !d.liveError) continue;
      differing += 1;
      if (values.json) console.log(JSON.stringify(d));
      else console.log(`${d.From_Account}: ${parts.map(([k, n]) => `${n} ${k}`).join(", ")}${d.liveError ? ` (live read: ${d.liveError.code} ${d.liveError.info})` : ""}`);
    }
  } catch (e) {
    fail(describe(e));
  }
  if (!values.json) console.log(differing ? `${differing} of ${users} users differ from the snapshot` : `all ${users} users match the snapshot`);
  if (differing) process.exitCode = 1;
}

/** Runs one of the migration commands with the command's shared helpers. */
export async function main(command, argv, cli) {
  ({ options, fail, describe, clientFromEnv } = cli);
  await { export: exportCommand, restore: restoreCommand, diff: diffCommand }[command](argv);
}
