// tim-sns import-friends | add-friends | delete-friends | block | unblock: a file of rows for
// one user (--from) or many (a From_Account column) through the client's one bulk engine, with
// progress, a journal to resume from, bad rows reported as file:line, and a failed-items file
// that can be fed back in.
import { existsSync, writeFileSync } from "node:fs";
import { BULK_COMMANDS, bulkInput, pickChoice } from "./bulk-commands.mjs";
import { CliError, EXIT, fromError } from "./exit.mjs";
import { integer, options } from "./flags.mjs";
import { readTable } from "./input.mjs";
import { progress } from "./progress.mjs";

/** The help of bulk command `name`. */
export function bulkHelp(name, redisHelp) {
  const spec = BULK_COMMANDS[name];
  const columns = Object.keys(spec.fields);
  const flags = [
    ...Object.entries(spec.choices ?? {}).map(([flag, c]) => `[--${flag} ${c.values.map((v) => v.slice(v.lastIndexOf("_") + 1).toLowerCase()).join("|")}]`),
    ...Object.keys(spec.switches ?? {}).map((flag) => `[--${flag}]`),
    ...("AddSource" in spec.fields ? ["[--add-source AddSource_Type_X]"] : []),
  ];
  return `Usage: tim-sns ${name} --file FILE [--from USER] [--format csv|jsonl] [--encoding gbk]${flags.map((f) => ` ${f}`).join("")}
           [--failed FILE] [--journal FILE] [--resume] [--concurrency N] [--json] [--redis URL]

${spec.help[0].toUpperCase()}${spec.help.slice(1)}, for one user or many, from a CSV or JSON Lines file.
Columns (a header row names them, in any order, any case): ${columns.join(", ")}.
Without a header the columns are ${columns.slice(1).join(",")} with --from USER, else ${columns.join(",")}.
JSON Lines: one object a line with the same names${spec.item === "object" ? " (any other field of the item passes through)" : ""}.
--from USER is the user of rows without a From_Account. Files are UTF-8 (a byte-order mark is fine)
unless --encoding names another encoding (gbk for files from Chinese Excel or WPS).
Every bad row is reported as FILE:LINE: why; the good rows go on. Items that fail are written to
--failed (default FILE.failed.jsonl), which can be fed back in with --file. Every call's items and
outcomes go to --journal (default FILE.journal): if the run stops (Ctrl-C stops it after the calls
in flight), run the same command with --resume. --json prints the summary as one JSON object.
${redisHelp}`;
}

/** `tim-sns <command> ...` for the bulk commands; `cli` has clientFromEnv and json. */
export async function bulkCommand(name, argv, cli) {
  const spec = BULK_COMMANDS[name];
  const { values } = options(argv, {
    from: { type: "string" }, file: { type: "string" }, format: { type: "string" }, encoding: { type: "string" },
    failed: { type: "string" }, journal: { type: "string" }, resume: { type: "boolean" }, concurrency: { type: "string" },
    ...("AddSource" in spec.fields ? { "add-source": { type: "string" } } : {}),
    ...Object.fromEntries(Object.keys(spec.choices ?? {}).map((flag) => [flag, { type: "string" }])),
    ...Object.fromEntries(Object.keys(spec.switches ?? {}).map((flag) => [flag, { type: "boolean" }])),
  });
  if (values.help) return console.log(cli.help);
  if (!values.file) throw new CliError("usage", `${name} needs --file FILE (tim-sns ${name} --help)`);
  // Every flag is checked before the file is read or anything is sent.
  const format = values.format === undefined ? undefined : pickChoice("format", values.format, ["csv", "jsonl"]);
  // Whole numbers only here; the range is the client's rule (it reports it as options.concurrency).
  const concurrency = integer(values, "concurrency", { min: -Number.MAX_SAFE_INTEGER });
  const body = {};
  for (const [flag, { field, values: choices }] of Object.entries(spec.choices ?? {})) {
    if (values[flag] !== undefined) body[field] = pickChoice(flag, values[flag], choices);
  }
  for (const [flag, [field, value]] of Object.entries(spec.switches ?? {})) if (values[flag]) body[field] = value;
  const journal = values.journal ?? `${values.file}.journal`;
  if (existsSync(journal) && !values.resume) {
    throw new CliError("usage", `${journal} exists: an earlier run of this ${name}. Add --resume to finish it, or delete the journal to start over.`);
  }
  if (values.resume && !existsSync(journal)) throw new CliError("usage", `--resume: no journal at ${journal}`);

  const columns = Object.keys(spec.fields);
  const table = readTable(values.file, {
    format, encoding: values.encoding, key: "To_Account", columns,
    order: values.from === undefined ? columns : columns.slice(1),
  });
  const { input, entries, bad } = bulkInput(name, table.rows, { from: values.from, addSource: values["add-source"] });
  bad.push(...table.bad);
  bad.sort((a, b) => a.line - b.line);
  for (const column of table.ignored) process.stderr.write(`tim-sns: ${values.file}: column "${column}" is not one ${name} reads; ignored\n`);
  for (const b of bad) process.stderr.write(`${values.file}:${b.line}: ${b.message}\n`);
  if (entries.length === 0) {
    throw new CliError(bad.length ? "failed" : "input", `${values.file}: no row to ${name.split("-")[0]}${bad.length ? ` (${bad.length} bad rows)` : ""}`);
  }

  const client = cli.clientFromEnv();
  const bar = progress(name, entries.length, "items");
  // Ctrl-C: no new calls; the ones in flight finish and are journaled. A second Ctrl-C quits now.
  const stop = new AbortController();
  process.once("SIGINT", () => {
    process.stderr.write("\nstopping after the calls in flight (Ctrl-C again to quit now)\n");
    stop.abort();
    process.once("SIGINT", () => process.exit(EXIT.interrupted));
  });
  let report;
  try {
    report = await client[spec.method](input, {
      journal, signal: stop.signal, onProgress: (p) => bar.update(p),
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(Object.keys(body).length ? { body } : {}),
    });
  } catch (e) {
    // Items are checked one by one (a bad one fails alone): what the run refuses as a whole is a flag.
    throw fromError(e, "usage", { "options.concurrency": "--concurrency" });
  } finally {
    bar.stop();
  }
  return summarise(name, values, { report, entries, bad, journal, json: cli.json });
}

/** The summary, the failed-items file and the exit code of a finished (or stopped) run. */
function summarise(name, values, { report, entries, bad, journal, json }) {
  const spec = BULK_COMMANDS[name];
  const users = new Set(entries.map((e) => e.from)).size;
  const failed = report.items.filter((i) => i.outcome === "failed" || i.outcome === "unknown");
  let failedFile = null;
  if (!report.stopped && failed.length) {
    failedFile = values.failed ?? `${values.file}.failed.jsonl`;
    writeFileSync(failedFile, failed.map((i) => JSON.stringify(entries[i.index].record)).join("\n") + "\n");
  }
  // No reply for any item that was sent: the service could not be reached at all.
  const sent = report.items.filter((i) => i.attempts > 0);
  const unreachable = !report.stopped && sent.length > 0 && sent.every((i) => i.code === undefined && i.outcome !== "ok");
  const totals = { total: report.total, ok: report.ok, already: report.already, pending: report.pending, failed: report.failed, unknown: report.unknown, reconciled: report.reconciled };
  if (json) {
    console.log(JSON.stringify({
      command: name, users, ...totals, stopped: report.stopped, badRows: bad, journal, failedFile,
      failedItems: failed.map((i) => ({ line: entries[i.index].line, From_Account: i.From_Account, To_Account: i.To_Account, outcome: i.outcome, code: i.code, info: i.info })),
    }));
  } else if (report.stopped) {
    const done = report.items.filter((i) => i.info !== "not finished: the run was stopped").length;
    console.log(`stopped: ${done} of ${report.total} items have their outcome in ${journal}`);
    console.log(`finish with: tim-sns ${name} ${process.argv.slice(3).filter((a) => a !== "--resume").join(" ")} --resume`);
  } else {
    console.log(`${spec.summary} ${report.ok} of ${report.total} ${spec.what} for ${users} user${users === 1 ? "" : "s"}: ${report.already} already so, ${report.pending} pending, ${report.failed} failed, ${report.unknown} unknown (${report.reconciled} reconciled after a lost reply)${bad.length ? `; ${bad.length} bad rows skipped` : ""}`);
    for (const f of failed.slice(0, 10)) console.log(`  ${values.file}:${entries[f.index].line}: ${f.From_Account} → ${f.To_Account}: ${f.outcome} ${f.code ?? "-"} ${f.info ?? ""}`);
    if (failed.length > 10) console.log(`  ... and ${failed.length - 10} more`);
    if (failedFile) console.log(`failed items written to ${failedFile} (feed it back with --file ${failedFile})`);
  }
  if (report.stopped) return EXIT.interrupted;
  if (unreachable) throw new CliError("unreachable", `no reply from the service for any item (${report.items[0]?.info ?? "no reply"}): check TIM_BASE_URL or TIM_REGION and the network`);
  return failed.length || bad.length ? EXIT.failed : EXIT.ok;
}
