// tim-sns webhook listen: a callback receiver that prints each verified callback, and the
// emulator's test-only routes that simulate client requests (which fire the "before" callbacks).
import { createServer } from "node:http";
import { CliError, fromError } from "./exit.mjs";
import { integer, options } from "./flags.mjs";
import { listen, portFlag } from "./listen.mjs";

export const WEBHOOK_HELP = `Usage: tim-sns webhook listen [--port 8080] [--sdkappid 1400000000] [--token TOKEN] [--json]

Receives relationship-chain callbacks on 127.0.0.1: verifies SdkAppid and, with --token, the
Sign and RequestTime of each, replies as the service expects (before-callbacks are allowed),
and prints one line per callback (--json: the callback as one JSON line), or the reason a
request was refused. Without --token the signature is not checked. --port 0 picks a free port.
Point an emulator at it: tim-sns emulator --webhook http://127.0.0.1:PORT/ --webhook-token TOKEN`;

const COMMANDS = ["Sns.CallbackPrevFriendAdd", "Sns.CallbackPrevFriendResponse", "Sns.CallbackFriendAdd",
  "Sns.CallbackFriendDelete", "Sns.CallbackBlackListAdd", "Sns.CallbackBlackListDelete"];

/** One human line for a callback. */
function summary(cb) {
  switch (cb.CallbackCommand) {
    case "Sns.CallbackPrevFriendAdd":
      return `${cb.From_Account} asks to add ${cb.FriendItem.map((i) => i.To_Account).join(",")} (${cb.AddType ?? "Add_Type_Both"})`;
    case "Sns.CallbackPrevFriendResponse":
      return `${cb.From_Account} answers ${cb.ResponseFriendItem.map((i) => `${i.To_Account}:${i.ResponseAction ?? "?"}`).join(",")}`;
    default:
      return cb.PairList.map((p) => `${p.From_Account}>${p.To_Account}`).join(" ") + (cb.ClientCmd ? ` (${cb.ClientCmd})` : "");
  }
}

/** `tim-sns webhook listen ...`; `cli.json` prints each callback as one JSON line. */
export async function webhookCommand(argv, cli) {
  const [verb, ...rest] = argv;
  const { values } = options(rest, { port: { type: "string" }, sdkappid: { type: "string" }, token: { type: "string" } });
  if (values.help || verb !== "listen") {
    if (verb && verb !== "listen" && verb !== "--help" && verb !== "-h") throw new CliError("usage", `unknown webhook command "${verb}" (tim-sns webhook listen)`);
    return console.log(WEBHOOK_HELP);
  }
  values.json = cli.json;
  const port = portFlag(values);
  values.sdkappid = String(integer(values, "sdkappid", { min: -Number.MAX_SAFE_INTEGER, fallback: 1400000000 }));
  const { webhookHandler } = await import("../webhook/index.mjs");
  const stamp = () => new Date().toISOString();
  const print = (cb, info) => {
    if (values.json) console.log(JSON.stringify({ command: cb.CallbackCommand, signatureChecked: info.verification.signatureChecked, callback: cb }));
    else console.log(`${stamp()} ${cb.CallbackCommand} ${summary(cb)}`);
  };
  const on = Object.fromEntries(COMMANDS.map((c) => [c, print]));
  let handler;
  try {
    handler = webhookHandler({
      sdkAppId: Number(values.sdkappid), token: values.token ?? null, on,
      onUnknown: (command, body) => console.log(values.json ? JSON.stringify({ command, unknown: true, callback: body }) : `${stamp()} ${command} (not a relationship-chain callback; answered OK)`),
      onRefused: (r) => console.log(values.json ? JSON.stringify({ refused: r.reason, status: r.status, message: r.message }) : `${stamp()} refused (${r.reason}, HTTP ${r.status}): ${r.message}`),
    });
  } catch (e) {
    throw fromError(e, "config", { sdkAppId: "--sdkappid", token: "--token" });
  }
  const bound = await listen(createServer(handler), port);
  console.log(`tim-sns webhook listening on http://127.0.0.1:${bound}/ (SDKAppID ${values.sdkappid}, ${values.token ? "signatures checked" : "no --token: signatures not checked"})`);
}

/** Options of `tim-sns emulator` for callbacks. */
export const EMULATOR_WEBHOOK_OPTIONS = { webhook: { type: "string" }, "webhook-token": { type: "string" } };

/** The `webhook` option of `new Emulator(...)` from the command line, or undefined. */
export function emulatorWebhook(values) {
  if (!values.webhook && !values["webhook-token"]) return undefined;
  return { url: values.webhook, token: values["webhook-token"] ?? null };
}

/**
 * The emulator's test-only routes (not part of the service's API):
 *   POST /_emulator/client/friend_add       a client's friend request (body as friend_add)
 *   POST /_emulator/client/friend_response  a client's answer ({ From_Account, ResponseFriendItem })
 *   GET  /_emulator/callbacks               the callbacks sent so far
 * Returns the reply as { status, body }, or null for any other path.
 */
export async function emulatorRoute(emu, method, url, body) {
  const path = url.split("?")[0];
  if (method === "GET" && path === "/_emulator/callbacks") return { status: 200, body: JSON.stringify(emu.callbacks()) };
  const simulate = { "/_emulator/client/friend_add": "clientFriendAdd", "/_emulator/client/friend_response": "clientFriendResponse" }[path];
  if (!simulate) return null;
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { status: 400, body: JSON.stringify({ ActionStatus: "FAIL", ErrorCode: 60003, ErrorInfo: "request body is not JSON" }) };
  }
  try {
    return { status: 200, body: JSON.stringify(await emu[simulate](parsed)) };
  } catch (e) {
    return { status: 400, body: JSON.stringify({ ActionStatus: "FAIL", ErrorCode: 30001, ErrorInfo: e.message }) };
  }
}
