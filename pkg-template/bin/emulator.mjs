// tim-sns emulator: the in-memory emulator (tim-sns/emulator) served over HTTP on 127.0.0.1 with
// the service's URL layout, CORS, and one log line per request (usersig redacted).
import { createServer } from "node:http";
import { CliError, fromError } from "./exit.mjs";
import { decimal, integer, options } from "./flags.mjs";
import { listen, portFlag } from "./listen.mjs";
import { EMULATOR_WEBHOOK_OPTIONS, emulatorRoute, emulatorWebhook } from "./webhook.mjs";

export const EMULATOR_HELP = `Usage: tim-sns emulator [--port 8080] [--sdkappid 1400000000] [--key KEY] [--admin administrator]
                        [--users a,b,c] [--latency-ms N] [--faults http502=0.05,drop=0.01,request30006=0.02,request30008=0.02,lostReply=0.02]
                        [--seed N] [--quiet] [--json] [--webhook URL] [--webhook-token TOKEN]

Serves /v4/<service>/<command>?sdkappid=... on 127.0.0.1, answers CORS preflights, and logs one
line per request with the usersig redacted (--json: one JSON object a line). With --webhook, sends
the relationship-chain callbacks the service would send to URL (signed with --webhook-token).
Test-only routes simulate client requests, which fire the "before" callbacks first:
  POST /_emulator/client/friend_add       body as friend_add: a user's friend request
  POST /_emulator/client/friend_response  { From_Account, ResponseFriendItem: [...] }
  GET  /_emulator/callbacks               the callbacks sent so far, with their delivery
The key defaults to TIM_SECRET_KEY, else a fixed development key (printed as such). --port 0
picks a free port. lostReply applies a request, then destroys the socket without a reply.`;

/** The faults `--faults` takes (the emulator's EmulatorFaults rates), each a rate from 0 to 1. */
export const FAULTS = ["http502", "drop", "request30006", "request30008", "lostReply"];

const redact = (url) => url.replace(/([?&]usersig=)[^&]*/gi, "$1REDACTED");

/** `--faults a=0.1,b=0.2` as EmulatorFaults; an unknown name or a rate outside 0..1 is a usage error. */
export function parseFaults(text = "") {
  const faults = {};
  for (const pair of text.split(",").filter(Boolean)) {
    const [name, rate, ...more] = pair.split("=");
    if (!FAULTS.includes(name)) throw new CliError("usage", `--faults: unknown fault "${name}" (known: ${FAULTS.join(", ")})`);
    if (rate === undefined || more.length) throw new CliError("usage", `--faults: write ${name}=RATE, a rate from 0 to 1`);
    faults[name] = decimal(rate, `--faults ${name}`, { min: 0, max: 1 });
  }
  return faults;
}

/** A request's body: its bytes gathered, then decoded once (a character split across chunks stays whole). */
export function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(new TextDecoder().decode(Buffer.concat(chunks))));
    req.on("error", reject);
  });
}

/** `tim-sns emulator ...`; `cli.json` asks for JSON log lines. */
export async function emulatorCommand(argv, cli) {
  const { values } = options(argv, {
    port: { type: "string" }, sdkappid: { type: "string" },
    key: { type: "string" }, admin: { type: "string", default: "administrator" }, users: { type: "string" },
    "latency-ms": { type: "string" }, faults: { type: "string" }, seed: { type: "string" }, quiet: { type: "boolean" },
    ...EMULATOR_WEBHOOK_OPTIONS,
  });
  if (values.help) return console.log(EMULATOR_HELP);
  const port = portFlag(values);
  // Whole numbers here; their ranges are the emulator's rules, reported with the flags' names.
  const any = { min: -Number.MAX_SAFE_INTEGER };
  const sdkAppId = integer(values, "sdkappid", { ...any, fallback: 1400000000 });
  const seed = integer(values, "seed", { ...any, fallback: 1 });
  const faults = parseFaults(values.faults);
  const latency = integer(values, "latency-ms", { min: 0 });
  if (latency !== undefined) faults.latencyMs = latency;
  const { Emulator } = await import("../emulator/node.mjs");
  const key = values.key ?? process.env.TIM_SECRET_KEY ?? "tim-sns-emulator-development-key";
  let emu;
  try {
    emu = new Emulator({ sdkAppId, secretKey: key, admin: values.admin, seed, faults, webhook: emulatorWebhook(values) });
  } catch (e) {
    throw fromError(e, "config", { sdkAppId: "--sdkappid", secretKey: "--key", admin: "--admin", seed: "--seed", "webhook.url": "--webhook", "webhook.token": "--webhook-token" });
  }
  if (values.users) emu.importAccounts(values.users.split(",").filter(Boolean));
  const log = (fields, text) => {
    if (values.quiet) return;
    console.log(cli.json ? JSON.stringify({ time: new Date().toISOString(), ...fields }) : `${new Date().toISOString()} ${text}`);
  };
  const cors = { "access-control-allow-origin": "*", "access-control-allow-methods": "POST, OPTIONS", "access-control-allow-headers": "content-type", "access-control-max-age": "600" };
  const server = createServer(async (req, res) => {
    if (req.method === "OPTIONS") {
      res.writeHead(204, cors).end();
      return;
    }
    let body;
    try {
      body = await readBody(req);
    } catch {
      return; // The client went away mid-body: nothing to answer.
    }
    const started = Date.now();
    const url = redact(req.url);
    const own = await emulatorRoute(emu, req.method, req.url, body);
    if (own) {
      res.writeHead(own.status, { ...cors, "content-type": "application/json" }).end(own.body);
      log({ method: req.method, url, status: own.status, ms: Date.now() - started }, `${req.method} ${url} -> ${own.status} (${Date.now() - started} ms)`);
      return;
    }
    let reply;
    try {
      reply = await emu.handle(req.url, body);
    } catch (e) {
      // The lostReply fault: the request was applied; the client sees the connection drop.
      req.socket.destroy();
      log({ method: req.method, url, dropped: true, reason: e.message }, `${req.method} ${url} -> connection dropped after applying (${e.message})`);
      return;
    }
    res.writeHead(reply.status, { ...cors, "content-type": "application/json" }).end(reply.body);
    const code = /"ErrorCode":(\d+)/.exec(reply.body)?.[1];
    log({ method: req.method, url, status: reply.status, errorCode: code === undefined ? null : Number(code), ms: Date.now() - started },
      `${req.method} ${url} -> ${reply.status} ErrorCode ${code ?? "-"} (${Date.now() - started} ms)`);
  });
  const bound = await listen(server, port);
  const devKey = !values.key && !process.env.TIM_SECRET_KEY;
  if (cli.json) {
    console.log(JSON.stringify({ listening: `http://127.0.0.1:${bound}`, sdkAppId, admin: values.admin, webhook: values.webhook ?? null, developmentKey: devKey }));
    return;
  }
  console.log(`tim-sns emulator listening on http://127.0.0.1:${bound} (SDKAppID ${sdkAppId}, admin ${values.admin})`);
  if (values.webhook) console.log(`sending callbacks to ${values.webhook}${values["webhook-token"] ? " (signed)" : " (unsigned: no --webhook-token)"}`);
  if (devKey) console.log(`using the development key "${key}" (set --key or TIM_SECRET_KEY for your own)`);
}
