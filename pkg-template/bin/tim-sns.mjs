#!/usr/bin/env node
// The tim-sns command: a thin Node layer over the wasm package. This file dispatches; each
// command (or family) has its own module:
//   emulator.mjs        tim-sns emulator       serve the emulator on 127.0.0.1 with the real URL layout
//   page.mjs            tim-sns page           serve the debugging page, forwarding its calls (forward.mjs)
//   (below)             tim-sns usersig | call generate, decode or verify a UserSig; call one API
//   bulk.mjs            tim-sns import-friends | add-friends | delete-friends | block | unblock
//   webhook.mjs         tim-sns webhook listen receive, verify and print relationship-chain callbacks
//   migrate.mjs         tim-sns export | restore | diff   whole relationship chains and snapshots
// Shared: exit.mjs (exit codes, one-line failures), flags.mjs (flag checks), listen.mjs (ports),
// input.mjs (the file reader), progress.mjs (progress), redis.mjs (--redis).
import { readFileSync } from "node:fs";
import { SnsClient, genUserSig, decodeUserSig, verifyUserSig, nodeHttpFetch } from "../node/index.mjs";
import { BULK_COMMANDS } from "./bulk-commands.mjs";
import { CliError, EXIT, exitHelp, exitWith, fromError, output } from "./exit.mjs";
import { integer, options, takeJsonFlag } from "./flags.mjs";
import { readText } from "./input.mjs";
import { WEBHOOK_HELP, webhookCommand } from "./webhook.mjs";
import { REDIS_HELP, openRedis, takeRedisOption } from "./redis.mjs";
import { PAGE_HELP, pageCommand } from "./page.mjs";

const VERSION = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;
const bulkList = Object.entries(BULK_COMMANDS).map(([name, spec]) => `  ${name.padEnd(16)} ${spec.help}`).join("\n");

const HELP = {
  main: `tim-sns ${VERSION}: Tencent Cloud IM relationship-chain tools

Usage: tim-sns <command> [options]   (tim-sns <command> --help for details)

Commands:
  emulator         serve the in-memory emulator over HTTP on 127.0.0.1
  page             serve the browser debugging page (every call, offline emulator, UserSig tools)
  usersig          gen | decode | verify a UserSig
  call             call one API, e.g. tim-sns call friend_get --body '{"From_Account":"alice","StartIndex":0}'
${bulkList}
  webhook listen   receive, verify and print relationship-chain callbacks
  export           write users' friends, lists and blocklists to a snapshot (JSON Lines)
  restore          write a snapshot into the configured app (--dry-run prints the plan)
  diff             compare a snapshot with the live state of its users

Every command takes --json (machine-readable output, and failures as one JSON line on stderr).
tim-sns --version prints the version.

Configuration for call, the bulk commands, export, restore and diff comes from the environment:
  TIM_SDKAPPID, TIM_IDENTIFIER (an App admin), TIM_SECRET_KEY or TIM_USERSIG, TIM_REGION or TIM_BASE_URL
They also take:
${REDIS_HELP}

Exit codes:
${exitHelp()}`,
  page: PAGE_HELP,
  usersig: `Usage:
  tim-sns usersig gen --sdkappid N --identifier ID [--expire SECONDS] [--key KEY] [--json]
  tim-sns usersig decode SIG
  tim-sns usersig verify SIG --sdkappid N [--identifier ID] [--key KEY]

The key defaults to TIM_SECRET_KEY. verify exits with 1 when the sig is refused.`,
  call: `Usage: tim-sns call <command> (--body JSON | --file body.json) [--encoding NAME]

<command> is a v4/sns wire name (friend_add, ...) or service/command (profile/portrait_get).
Prints the reply as JSON; exits with 1 and the error on stderr when the service refuses the call,
5 when it cannot be reached. (--json BODY, the old name of --body, still works.)`,
  webhook: WEBHOOK_HELP,
};

/** Failure of the page command (bin/page.mjs): one line, exit code by number. */
const fail = (message, code = 1) => {
  throw new CliError(Object.keys(EXIT).find((k) => EXIT[k] === code) ?? "failed", message);
};

// The budget shared through Redis (--redis URL), when given: every client of this run uses it.
let shared = null;

/** The client of TIM_* variables (plus `extra` settings); variables that break a rule are a configuration error (exit 3). */
function clientFromEnv(extra = {}) {
  const env = process.env;
  // node:http rather than Node's fetch: about half the CPU per call, for jobs of thousands of calls.
  const config = { sdkAppId: Number(env.TIM_SDKAPPID), identifier: env.TIM_IDENTIFIER ?? "administrator", fetch: nodeHttpFetch };
  if (shared) config.rateLimiter = shared.rateLimiter;
  if (env.TIM_SECRET_KEY) config.secretKey = env.TIM_SECRET_KEY;
  if (env.TIM_USERSIG) config.userSig = env.TIM_USERSIG;
  if (env.TIM_BASE_URL) config.baseUrl = env.TIM_BASE_URL;
  else if (env.TIM_REGION) config.region = env.TIM_REGION;
  Object.assign(config, extra);
  try {
    return new SnsClient(config);
  } catch (e) {
    if (e?.name !== "ValidationError") throw e;
    const variable = { sdkAppId: "TIM_SDKAPPID", identifier: "TIM_IDENTIFIER", secretKey: "TIM_SECRET_KEY", userSig: "TIM_USERSIG", region: "TIM_REGION", baseUrl: "TIM_BASE_URL" };
    const why = e.violations.map((v) => `${variable[v.path] ?? v.path}: ${v.message}`).join("; ");
    throw new CliError("config", `bad configuration from the environment: ${why}`);
  }
}

function usersig(argv) {
  const [verb, ...rest] = argv;
  const { values, positionals } = options(rest, {
    sdkappid: { type: "string" }, identifier: { type: "string" }, expire: { type: "string" }, key: { type: "string" },
  });
  if (values.help || !verb || verb === "--help") return console.log(HELP.usersig);
  const key = values.key ?? process.env.TIM_SECRET_KEY;
  // Only the digits are checked here: the ranges are the core's rules, reported all at once.
  const sdkAppId = integer(values, "sdkappid", { min: -Number.MAX_SAFE_INTEGER, fallback: NaN });
  try {
    if (verb === "gen") {
      const opts = { sdkAppId, secretKey: key ?? "", identifier: values.identifier };
      const expire = integer(values, "expire", { min: -Number.MAX_SAFE_INTEGER });
      if (expire !== undefined) opts.expireSeconds = expire;
      const sig = genUserSig(opts);
      console.log(output.json ? JSON.stringify({ usersig: sig }) : sig);
    } else if (verb === "decode") {
      const decoded = decodeUserSig(positionals[0] ?? "");
      console.log(output.json ? JSON.stringify(decoded) : JSON.stringify(decoded, null, 2));
    } else if (verb === "verify") {
      const opts = { sdkAppId, secretKey: key ?? "" };
      if (values.identifier) opts.identifier = values.identifier;
      const r = verifyUserSig(positionals[0] ?? "", opts);
      console.log(output.json ? JSON.stringify(r) : JSON.stringify(r, null, 2));
      if (!r.valid) return EXIT.failed;
    } else {
      throw new CliError("usage", `unknown usersig command "${verb}" (gen, decode or verify)`);
    }
  } catch (e) {
    throw fromError(e, "usage");
  }
}

async function call(argv) {
  const { values, positionals } = options(argv, { body: { type: "string" }, file: { type: "string" }, encoding: { type: "string" } });
  if (values.help || positionals.length === 0) return console.log(HELP.call);
  const text = values.body ?? (values.file ? readText(values.file, values.encoding) : null);
  if (text === null) throw new CliError("usage", "give the request body with --body JSON or --file body.json");
  let body;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new CliError(values.file ? "input" : "usage", `${values.file ?? "--body"}: not JSON: ${e.message}`);
  }
  const client = clientFromEnv();
  let reply;
  try {
    reply = await client.request(positionals[0], body);
  } catch (e) {
    throw fromError(e);
  }
  console.log(output.json ? JSON.stringify(reply) : JSON.stringify(reply, null, 2));
}

/** Runs `command`; resolves its exit code. */
async function run(command, argv) {
  if (!command || command === "--help" || command === "-h" || command === "help") return console.log(HELP.main);
  if (command === "--version" || command === "-V" || command === "version") {
    return console.log(output.json ? JSON.stringify({ version: VERSION }) : VERSION);
  }
  if (command in BULK_COMMANDS) {
    const { bulkCommand, bulkHelp } = await import("./bulk.mjs");
    return bulkCommand(command, argv, { clientFromEnv, json: output.json, help: bulkHelp(command, REDIS_HELP) });
  }
  switch (command) {
    case "emulator":
      return (await import("./emulator.mjs")).emulatorCommand(argv, { json: output.json });
    case "page":
      return pageCommand(argv, options, fail);
    case "usersig":
      return usersig(argv);
    case "call":
      return call(argv);
    case "webhook":
      return webhookCommand(argv, { json: output.json });
    case "export":
    case "restore":
    case "diff":
      // Loaded on demand: the migration commands use their own entry's .wasm.
      return (await import("./migrate.mjs")).main(command, argv, { clientFromEnv, json: output.json });
    default:
      throw new CliError("usage", `unknown command "${command}" (tim-sns --help lists them)`);
  }
}

try {
  const [command, ...given] = process.argv.slice(2);
  const { argv: withoutJson, json } = takeJsonFlag(given);
  output.json = json;
  // --redis URL, for the commands that send calls.
  const sends = ["call", "export", "restore", "diff", ...Object.keys(BULK_COMMANDS)].includes(command);
  const { argv, url: redisUrl } = sends ? takeRedisOption(withoutJson) : { argv: withoutJson };
  if (redisUrl !== undefined && !argv.includes("--help") && !argv.includes("-h")) shared = await openRedis(redisUrl, Number(process.env.TIM_SDKAPPID));
  const code = await run(command, argv);
  if (typeof code === "number") process.exitCode = code;
  await shared?.close();
} catch (e) {
  exitWith(fromError(e));
}
