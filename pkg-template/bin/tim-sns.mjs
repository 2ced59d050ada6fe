#!/usr/bin/env node
// The tim-sns command: a thin Node layer over the wasm package.
//   tim-sns emulator        serve the emulator on 127.0.0.1 with the real URL layout
//   tim-sns page            serve the browser debugging page on 127.0.0.1
//   tim-sns usersig ...     generate, decode or verify a UserSig
//   tim-sns call ...        call one API with configuration from the environment
//   tim-sns import-friends  bulk-import friends from a CSV or JSON Lines file
//   tim-sns webhook listen  receive, verify and print relationship-chain callbacks
//   tim-sns export | restore | diff   whole relationship chains to and from a snapshot (bin/migrate.mjs)
import { createServer } from "node:http";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { SnsClient, genUserSig, decodeUserSig, verifyUserSig, isValidationError, nodeHttpFetch } from "../node/index.mjs";
import { WEBHOOK_HELP, EMULATOR_WEBHOOK_OPTIONS, emulatorWebhook, emulatorRoute, webhookCommand } from "./webhook.mjs";
import { REDIS_HELP, openRedis, takeRedisOption } from "./redis.mjs";
import { PAGE_HELP, pageCommand } from "./page.mjs";

const HELP = {
  main: `tim-sns: Tencent Cloud IM relationship-chain tools

Usage: tim-sns <command> [options]   (tim-sns <command> --help for details)

Commands:
  emulator         serve the in-memory emulator over HTTP on 127.0.0.1
  page             serve the browser debugging page (every call, offline emulator, UserSig tools)
  usersig          gen | decode | verify a UserSig
  call             call one API, e.g. tim-sns call friend_get --json '{"From_Account":"alice","StartIndex":0}'
  import-friends   bulk-import friends from a .csv or .jsonl file
  webhook listen   receive, verify and print relationship-chain callbacks
  export           write users' friends, lists and blocklists to a snapshot (JSON Lines)
  restore          write a snapshot into the configured app (--dry-run prints the plan)
  diff             compare a snapshot with the live state of its users

Configuration for call, import-friends, export, restore and diff comes from the environment:
  TIM_SDKAPPID, TIM_IDENTIFIER (an App admin), TIM_SECRET_KEY or TIM_USERSIG, TIM_REGION or TIM_BASE_URL
They also take:
${REDIS_HELP}`,
  emulator: `Usage: tim-sns emulator [--port 8080] [--sdkappid 1400000000] [--key KEY] [--admin administrator]
                        [--users a,b,c] [--latency-ms N] [--faults http502=0.05,drop=0.01,request30006=0.02,request30008=0.02,lostReply=0.02]
                        [--seed N] [--quiet] [--webhook URL] [--webhook-token TOKEN]

Serves /v4/<service>/<command>?sdkappid=... on 127.0.0.1, answers CORS preflights, and logs one
line per request with the usersig redacted. With --webhook, sends the relationship-chain
callbacks the service would send to URL (signed with --webhook-token). Test-only routes simulate
client requests, which fire the "before" callbacks first:
  POST /_emulator/client/friend_add       body as friend_add: a user's friend request
  POST /_emulator/client/friend_response  { From_Account, ResponseFriendItem: [...] }
  GET  /_emulator/callbacks               the callbacks sent so far, with their delivery
The key defaults to TIM_SECRET_KEY, else a fixed development key (printed as such). --port 0
picks a free port. lostReply applies a request, then destroys the socket without a reply.`,
  page: PAGE_HELP,
  usersig: `Usage:
  tim-sns usersig gen --sdkappid N --identifier ID [--expire SECONDS] [--key KEY]
  tim-sns usersig decode SIG
  tim-sns usersig verify SIG --sdkappid N [--identifier ID] [--key KEY]

The key defaults to TIM_SECRET_KEY. verify exits with 1 when the sig is refused.`,
  call: `Usage: tim-sns call <command> (--json JSON | --file body.json)

<command> is a v4/sns wire name (friend_add, ...) or service/command (profile/portrait_get).
Prints the reply as JSON; exits with 1 and the error on stderr when the call fails.`,
  webhook: WEBHOOK_HELP,
  "import-friends": `Usage: tim-sns import-friends --from USER --file friends.csv|friends.jsonl [--failed failed.jsonl]
                              [--journal FILE.journal] [--resume] [--redis URL]

CSV: one friend per line, "To_Account[,Remark]" (a header line "To_Account,..." is skipped).
JSON Lines: one friend_import item per line ({"To_Account":"bob","AddSource":"AddSource_Type_Import",...}).
Shows progress (calls/s, ETA), prints a summary, and writes every failed item to --failed (default
FILE.failed.jsonl) as JSON Lines that can be fed back in. Exits with 1 when any item failed.
Every call's items and every outcome go to --journal (default FILE.journal). If the run stops (Ctrl-C
stops it cleanly after the calls in flight; a crash or kill just stops it), run the same command with
--resume: recorded outcomes are kept and not sent again, the rest is finished.
${REDIS_HELP}`,
};

const redact = (url) => url.replace(/([?&]usersig=)[^&]*/gi, "$1REDACTED");
const fail = (message, code = 1) => {
  process.stderr.write(`tim-sns: ${message}\n`);
  process.exit(code);
};
const describe = (e) => (isValidationError(e) ? e.violations.map((v) => `${v.path}: ${v.message}`).join("\n") : e.message);

function options(argv, spec) {
  try {
    return parseArgs({ args: argv, options: { help: { type: "boolean", short: "h" }, ...spec }, allowPositionals: true });
  } catch (e) {
    fail(e.message, 2);
  }
}

// The budget shared through Redis (--redis URL), when given: every client of this run uses it.
let shared = null;

function clientFromEnv() {
  const env = process.env;
  // node:http rather than Node's fetch: about half the CPU per call, for jobs of thousands of calls.
  const config = { sdkAppId: Number(env.TIM_SDKAPPID), identifier: env.TIM_IDENTIFIER ?? "administrator", fetch: nodeHttpFetch };
  if (shared) config.rateLimiter = shared.rateLimiter;
  if (env.TIM_SECRET_KEY) config.secretKey = env.TIM_SECRET_KEY;
  if (env.TIM_USERSIG) config.userSig = env.TIM_USERSIG;
  if (env.TIM_BASE_URL) config.baseUrl = env.TIM_BASE_URL;
  else if (env.TIM_REGION) config.region = env.TIM_REGION;
  try {
    return new SnsClient(config);
  } catch (e) {
    fail(`bad configuration from the environment:\n${describe(e)}`, 2);
  }
}

async function emulator(argv) {
  const { values } = options(argv, {
    port: { type: "string", default: "8080" }, sdkappid: { type: "string", default: "1400000000" },
    key: { type: "string" }, admin: { type: "string", default: "administrator" }, users: { type: "string" },
    "latency-ms": { type: "string" }, faults: { type: "string" }, seed: { type: "string" }, quiet: { type: "boolean" },
    ...EMULATOR_WEBHOOK_OPTIONS,
  });
  if (values.help) return console.log(HELP.emulator);
  const { Emulator } = await import("../emulator/node.mjs");
  const key = values.key ?? process.env.TIM_SECRET_KEY ?? "tim-sns-emulator-development-key";
  const faults = Object.fromEntries((values.faults ?? "").split(",").filter(Boolean).map((kv) => {
    const [k, v] = kv.split("=");
    return [k, Number(v)];
  }));
  if (values["latency-ms"]) faults.latencyMs = Number(values["latency-ms"]);
  let emu;
  try {
    emu = new Emulator({ sdkAppId: Number(values.sdkappid), secretKey: key, admin: values.admin, seed: Number(values.seed ?? 1), faults, webhook: emulatorWebhook(values) });
  } catch (e) {
    fail(describe(e), 2);
  }
  if (values.users) emu.importAccounts(values.users.split(",").filter(Boolean));
  const cors = { "access-control-allow-origin": "*", "access-control-allow-methods": "POST, OPTIONS", "access-control-allow-headers": "content-type", "access-control-max-age": "600" };
  const server = createServer((req, res) => {
    if (req.method === "OPTIONS") {
      res.writeHead(204, cors).end();
      return;
    }
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", async () => {
      const started = Date.now();
      const own = await emulatorRoute(emu, req.method, req.url, body);
      if (own) {
        res.writeHead(own.status, { ...cors, "content-type": "application/json" }).end(own.body);
        if (!values.quiet) console.log(`${new Date().toISOString()} ${req.method} ${req.url} -> ${own.status} (${Date.now() - started} ms)`);
        return;
      }
      let reply;
      try {
        reply = await emu.handle(req.url, body);
      } catch (e) {
        // The lostReply fault: the request was applied; the client sees the connection drop.
        req.socket.destroy();
        if (!values.quiet) console.log(`${new Date().toISOString()} ${req.method} ${redact(req.url)} -> connection dropped after applying (${e.message})`);
        return;
      }
      const text = reply.body;
      res.writeHead(reply.status, { ...cors, "content-type": "application/json" }).end(text);
      if (!values.quiet) {
        const code = /"ErrorCode":(\d+)/.exec(text)?.[1] ?? "-";
        console.log(`${new Date().toISOString()} ${req.method} ${redact(req.url)} -> ${reply.status} ErrorCode ${code} (${Date.now() - started} ms)`);
      }
    });
  });
  server.listen(Number(values.port), "127.0.0.1", () => {
    const { port } = server.address();
    console.log(`tim-sns emulator listening on http://127.0.0.1:${port} (SDKAppID ${values.sdkappid}, admin ${values.admin})`);
    if (values.webhook) console.log(`sending callbacks to ${values.webhook}${values["webhook-token"] ? " (signed)" : " (unsigned: no --webhook-token)"}`);
    if (!values.key && !process.env.TIM_SECRET_KEY) console.log(`using the development key "${key}" (set --key or TIM_SECRET_KEY for your own)`);
  });
}

function usersig(argv) {
  const [verb, ...rest] = argv;
  const { values, positionals } = options(rest, {
    sdkappid: { type: "string" }, identifier: { type: "string" }, expire: { type: "string" }, key: { type: "string" },
  });
  if (values.help || !verb || verb === "--help") return console.log(HELP.usersig);
  const key = values.key ?? process.env.TIM_SECRET_KEY;
  try {
    if (verb === "gen") {
      const opts = { sdkAppId: Number(values.sdkappid), secretKey: key ?? "", identifier: values.identifier };
      if (values.expire) opts.expireSeconds = Number(values.expire);
      console.log(genUserSig(opts));
    } else if (verb === "decode") {
      console.log(JSON.stringify(decodeUserSig(positionals[0] ?? ""), null, 2));
    } else if (verb === "verify") {
      const opts = { sdkAppId: Number(values.sdkappid), secretKey: key ?? "" };
      if (values.identifier) opts.identifier = values.identifier;
      const r = verifyUserSig(positionals[0] ?? "", opts);
      console.log(JSON.stringify(r, null, 2));
      if (!r.valid) process.exitCode = 1;
    } else {
      fail(`unknown usersig command "${verb}"\n${HELP.usersig}`, 2);
    }
  } catch (e) {
    fail(describe(e));
  }
}

async function call(argv) {
  const { values, positionals } = options(argv, { json: { type: "string" }, file: { type: "string" } });
  if (values.help || positionals.length === 0) return console.log(HELP.call);
  const text = values.json ?? (values.file ? readFileSync(values.file, "utf8") : null);
  if (text === null) fail("give the body with --json or --file", 2);
  let body;
  try {
    body = JSON.parse(text);
  } catch (e) {
    fail(`the body is not JSON: ${e.message}`, 2);
  }
  const client = clientFromEnv();
  try {
    console.log(JSON.stringify(await client.request(positionals[0], body), null, 2));
  } catch (e) {
    fail(describe(e));
  }
}

function readItems(file) {
  const text = readFileSync(file, "utf8");
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  if (file.endsWith(".jsonl") || file.endsWith(".ndjson")) return lines.map((l) => JSON.parse(l));
  return lines
    .filter((l, i) => !(i === 0 && /^to_account\b/i.test(l)))
    .map((l) => {
      const [to, remark] = l.split(",").map((s) => s.trim());
      return remark ? { To_Account: to, AddSource: "AddSource_Type_Import", Remark: remark } : { To_Account: to, AddSource: "AddSource_Type_Import" };
    });
}

async function importFriends(argv) {
  const { values } = options(argv, { from: { type: "string" }, file: { type: "string" }, failed: { type: "string" }, journal: { type: "string" }, resume: { type: "boolean" } });
  if (values.help || !values.from || !values.file) return console.log(HELP["import-friends"]);
  const journal = values.journal ?? `${values.file}.journal`;
  if (existsSync(journal) && !values.resume) {
    fail(`${journal} exists: an earlier run of this import. Add --resume to finish it, or delete the journal to start over.`, 2);
  }
  if (values.resume && !existsSync(journal)) fail(`--resume: no journal at ${journal}`, 2);
  const items = readItems(values.file).map((i) => ({ AddSource: "AddSource_Type_Import", ...i }));
  const client = clientFromEnv();
  const tty = process.stderr.isTTY;
  let lastShown = -1;
  const onProgress = ({ done, total, failed, callsPerSecond, etaSeconds }) => {
    const rate = `${callsPerSecond} calls/s${etaSeconds === undefined ? "" : `, ETA ${etaSeconds} s`}`;
    if (tty) {
      const width = 30;
      const filled = Math.round((done / total) * width);
      process.stderr.write(`\r[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total} ${failed} failed, ${rate}  `);
    } else {
      const decile = Math.floor((done / total) * 10);
      if (decile !== lastShown) {
        lastShown = decile;
        process.stderr.write(`progress: ${done}/${total} (${failed} failed, ${rate})\n`);
      }
    }
  };
  // Ctrl-C: no new calls; the ones in flight finish and are journaled. A second Ctrl-C quits now.
  const stop = new AbortController();
  process.once("SIGINT", () => {
    process.stderr.write("\nstopping after the calls in flight (Ctrl-C again to quit now)\n");
    stop.abort();
    process.once("SIGINT", () => process.exit(130));
  });
  let report;
  try {
    report = await client.importFriends({ From_Account: values.from, items }, { onProgress, journal, signal: stop.signal });
  } catch (e) {
    fail(describe(e));
  }
  if (tty) process.stderr.write("\n");
  if (report.stopped) {
    const done = report.items.filter((i) => i.info !== "not finished: the run was stopped").length;
    console.log(`stopped: ${done} of ${report.total} items have their outcome in ${journal}`);
    console.log(`resume with: tim-sns import-friends --from ${values.from} --file ${values.file} --journal ${journal} --resume`);
    process.exitCode = 130;
    return;
  }
  console.log(`imported ${report.ok} of ${report.total} friends of ${values.from}: ${report.already} already there, ${report.pending} pending, ${report.failed} failed, ${report.unknown} unknown (${report.reconciled} reconciled after a lost reply)`);
  const failed = report.items.filter((i) => i.outcome === "failed");
  if (failed.length) {
    const out = values.failed ?? `${values.file}.failed.jsonl`;
    writeFileSync(out, failed.map((i) => JSON.stringify(items[i.index])).join("\n") + "\n");
    console.log(`failed items written to ${out} (feed it back with --file ${out})`);
    for (const f of failed.slice(0, 5)) console.log(`  ${f.To_Account}: ${f.code ?? "-"} ${f.info ?? ""}`);
    process.exitCode = 1;
  }
}

const [command, ...given] = process.argv.slice(2);
// --redis URL, for the commands that send calls.
const { argv, url: redisUrl } = ["call", "import-friends", "export", "restore", "diff"].includes(command) ? takeRedisOption(given) : { argv: given };
if (redisUrl !== undefined && !argv.includes("--help") && !argv.includes("-h")) {
  try {
    shared = await openRedis(redisUrl, Number(process.env.TIM_SDKAPPID));
  } catch (e) {
    fail(e.message, 2);
  }
}
const commands = { emulator, page: (argv) => pageCommand(argv, options, fail), usersig, call, "import-friends": importFriends, webhook: (argv) => webhookCommand(argv, options, fail) };
if (!command || command === "--help" || command === "-h" || command === "help") {
  console.log(HELP.main);
} else if (commands[command]) {
  await commands[command](argv);
} else if (["export", "restore", "diff"].includes(command)) {
  // Loaded on demand: the migration commands use their own entry's .wasm.
  await (await import("./migrate.mjs")).main(command, argv, { options, fail, describe, clientFromEnv });
} else {
  fail(`unknown command "${command}"\n\n${HELP.main}`, 2);
}
await shared?.close();
