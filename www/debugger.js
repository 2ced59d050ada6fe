// The API-call panel of the tim-sns debugging tool: pick a v4/sns command, edit its body with
// validation as you type, send it to the built-in emulator (offline) or a server, and read the
// reply, the per-item results and the errors explained. Plain ES module, no framework.
//
// Secrets: the secret key and a pasted UserSig live only in their password fields' `value` (a
// property, never an attribute) and in the client while a call runs. What the page shows (URL,
// curl, errors, snippets) comes from the client, which redacts the usersig and scrubs the key
// itself; the page adds no redaction of its own, so its tests check the package's. Nothing is
// written to storage, cookies or the URL.
import init, { SnsClient, validate, regions, isApiError, isValidationError } from "tim-sns";
import initEmulator, { Emulator, completeAt, locatePaths } from "tim-sns/emulator";
import { createEditor } from "tim-sns-editor";
import { SAMPLES } from "./samples.js";
import { DEMO_CALLBACK_TOKEN, renderCallbacks } from "./callbacks.js";
import { loadDeclarations, typeOf } from "./types.js";
import { $, el } from "./dom.js";
import { renderItems, showError, showList } from "./result.js";
import { detectForwarder, explainNoReply, route } from "./route.js";
import { initPaste } from "./paste.js";
import { renderUserState } from "./state.js";
import { readShared, shareLink } from "./share.js";


/** The commands, in the order the picker lists them: one sample each. */
const COMMANDS = Object.keys(SAMPLES);

/** The documented limits of each command, in short. */
const LIMITS = {
  friend_add: "Adds friends one-way or both ways. AddFriendItem non-empty, at most 100 advised (targets needing approval); AddSource is AddSource_Type_ + 1 to 8 letters; Remark ≤ 96 bytes; GroupName one list ≤ 30 bytes; AddWording ≤ 256 bytes. A target that must approve answers 30539 (pending).",
  friend_import: "Writes one-way friend entries without approval. AddFriendItem 1 to 1000; GroupName is an array (≤ 32 names of ≤ 30 bytes); CustomItem tags Tag_SNS_Custom_ + 1 to 8 letters, a string ≤ 500 bytes or an integer.",
  friend_update: "Changes Tag_SNS_IM_Remark (≤ 96 bytes), Tag_SNS_IM_Group (lists) or Tag_SNS_Custom_* of existing friends. UpdateItem non-empty, at most 100 advised; SnsItem non-empty.",
  friend_delete: "Deletes listed friends. To_Account 1 to 1000; DeleteType Delete_Type_Single (default) or Delete_Type_Both.",
  friend_delete_all: "Deletes every friend of From_Account. DeleteType Delete_Type_Single (default) or Delete_Type_Both. The reply is the envelope only.",
  friend_check: "Checks the relationship with up to 1000 users. CheckType CheckResult_Type_Single or CheckResult_Type_Both; trust Relation only when ResultCode is 0.",
  friend_get: "Pages through all friends. Start at StartIndex 0, continue with NextStartIndex until CompleteFlag is non-zero.",
  friend_get_list: "Chosen fields of listed friends. To_Account 1 to 100 (advised); TagList non-empty, profile or friend tags.",
  black_list_add: "Blocks users (a blocked friend is removed both ways). To_Account 1 to 1000; a blocklist holds at most 1000 (30013).",
  black_list_delete: "Unblocks users. To_Account 1 to 1000; a user not in the blocklist fails with item code 30001.",
  black_list_get: "Pages through the blocklist. Start at StartIndex 0, continue with the reply's StartIndex until it is 0; MaxLimited 1 to 1000.",
  black_list_check: "Checks block relationships with up to 1000 users. CheckType BlackCheckResult_Type_Single or BlackCheckResult_Type_Both.",
  group_add: "Creates friend lists, optionally adding friends to them. GroupName 1 to 32 names of 1 to 30 bytes; To_Account at most 1000 friends.",
  group_delete: "Deletes friend lists (the friendships stay). GroupName 1 to 32 names of 1 to 30 bytes.",
  group_get: "Reads friend lists, with members when NeedFriend is Need_Friend_Type_Yes.",
};

const DEMO_APP = 1400000000;
const DEMO_ADMIN = "administrator";
const DEMO_USERS = ["alice", "bob", "carol", "dave", "mallory"];
const OFFLINE_BASE = "http://emulator.local";
const CUSTOM = "custom";

const pretty = (value) => JSON.stringify(value, null, 2);

// ---------------------------------------------------------------------------------------------
// The emulator (offline mode). Its demo key is random, per tab, and never leaves this module.

let emulator = null;
let demoKey = "";

function newEmulator() {
  emulator?.free();
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  demoKey = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  // No webhook URL: callbacks are only logged, for the Callbacks view.
  emulator = new Emulator({ sdkAppId: DEMO_APP, secretKey: demoKey, admin: DEMO_ADMIN, webhook: { token: DEMO_CALLBACK_TOKEN } });
  emulator.importAccounts(DEMO_USERS);
  emulator.setAllowType("bob", "AllowType_Type_AllowAny");
  emulator.setAllowType("dave", "AllowType_Type_DenyAny");
}

const offline = () => $("cfg-offline").checked;

// ---------------------------------------------------------------------------------------------
// Configuration

let regionList = [];
/** `tim-sns page`'s forwarder (`{ upstream }`) when it serves the page, else null. */
let forwarder = null;

/** Where an online call goes now (see route.js). */
function currentRoute() {
  const server = $("cfg-server").value;
  if (server === CUSTOM) return route(forwarder, { baseUrl: $("cfg-baseurl").value });
  return route(forwarder, { region: regionList.find((r) => r.id === server), backup: $("cfg-backup").checked });
}

function updateConfigView() {
  const off = offline();
  $("cfg-online").disabled = off;
  $("cfg-online").classList.toggle("dimmed", off);
  $("cfg-offline-note").hidden = !off;
  const sig = $("cfg-auth").value === "sig";
  $("cfg-key").hidden = $("cfg-key-label").hidden = sig;
  $("cfg-usersig").hidden = $("cfg-usersig-label").hidden = !sig;
  const server = $("cfg-server").value;
  const custom = server === CUSTOM;
  $("cfg-baseurl").hidden = $("cfg-baseurl-label").hidden = !custom;
  const region = regionList.find((r) => r.id === server);
  $("cfg-domain").textContent = region ? `https://${$("cfg-backup").checked ? region.backupDomain : region.domain}` : "";
  $("cfg-backup").disabled = custom;
  const via = forwarder ? currentRoute() : null;
  $("cfg-route").textContent = !forwarder
    ? "Calls go straight from this tab to the server. A server that refuses this page's origin (CORS), as the service may, is reached through `npx tim-sns page`."
    : via.forwarded
      ? `Calls go through this page's server (tim-sns page) to ${via.direct}: the browser makes no cross-origin call.`
      : `Calls to this base URL go straight from this tab; \`tim-sns page --upstream ${via.direct || "URL"}\` would forward them.`;
  $("state-online").hidden = off;
  $("state-body").hidden = !off;
  $("cb-online").hidden = off;
  $("callbacks").hidden = !off || $("callbacks").tBodies[0].rows.length === 0;
  $("cb-empty").hidden = !off;
  renderState();
}

/** The client for the current configuration, or throws an Error saying what is missing. */
function makeClient() {
  if (offline()) {
    return new SnsClient({ sdkAppId: DEMO_APP, identifier: DEMO_ADMIN, secretKey: demoKey, baseUrl: OFFLINE_BASE, fetch: emulator.fetch, retries: 0 });
  }
  const text = $("cfg-sdkappid").value.trim();
  const sdkAppId = /^\d+$/.test(text) ? Number(text) : text;
  const options = { sdkAppId, identifier: $("cfg-identifier").value.trim(), retries: 0, timeoutMs: 10000 };
  if ($("cfg-auth").value === "sig") {
    const sig = $("cfg-usersig").value.trim();
    if (!sig) throw new Error("Paste an admin UserSig, or sign with the secret key.");
    options.userSig = sig;
  } else {
    const key = $("cfg-key").value;
    if (!key) throw new Error("Enter the secret key, or sign with a pasted UserSig, or go back to offline mode.");
    options.secretKey = key;
  }
  if ($("cfg-server").value === CUSTOM && !$("cfg-baseurl").value.trim()) throw new Error("Enter the custom base URL, e.g. http://127.0.0.1:8080.");
  Object.assign(options, currentRoute().options);
  return new SnsClient(options);
}

function targetLabel() {
  if (offline()) return "offline emulator";
  return currentRoute().label;
}

// ---------------------------------------------------------------------------------------------
// Editor and validation as you type

const command = () => $("cmd").value;

/** The package's type declarations (name → text), once loaded; `null` if they could not be. */
let declarations = null;

/** Shows the command's limits and its request and response types as the package declares them. */
function showCommandInfo(cmd) {
  $("cmd-limits").textContent = LIMITS[cmd];
  for (const [kind, id] of [["request body", "cmd-request-type"], ["response", "cmd-response-type"]]) {
    const found = declarations && typeOf(declarations, cmd, kind);
    $(id).textContent = found ? found.text : declarations ? `(no declaration documented as the ${kind} of ${cmd})` : "(the type declarations could not be loaded)";
    $(`${id}-name`).textContent = found ? found.name : "";
  }
}

/** Puts a command and a body in the editor, as the picker and the history do. */
function loadIntoEditor(cmd, bodyText) {
  hideCurl();
  $("cmd").value = cmd;
  showCommandInfo(cmd);
  editor.text = bodyText;
}

function loadSample() {
  editor.text = pretty(SAMPLES[command()] ?? {});
  validateNow();
}

/** Parses a body (the editor's by default); returns `{ body }`, or `{ violations }` for text that is not JSON. */
function readBody(text = editor.text) {
  try {
    return { body: JSON.parse(text) };
  } catch (error) {
    return { violations: [{ path: "(body)", rule: "json", message: `not valid JSON: ${error.message}` }] };
  }
}

function validateNow() {
  const parsed = readBody();
  let violations = parsed.violations;
  if (!violations) {
    try {
      violations = validate(command(), parsed.body);
    } catch (error) {
      violations = isValidationError(error) ? error.violations : [{ path: "(body)", rule: "error", message: String(error?.message ?? error) }];
    }
  }
  showList($("body-violations"), violations);
  editor.setProblems(marks(editor.text, violations));
  $("body-state").textContent = violations.length === 0 ? "Valid." : `${violations.length} problem${violations.length === 1 ? "" : "s"}: the client would refuse to send it.`;
  $("body-state").dataset.valid = String(violations.length === 0);
  return violations;
}

let debounce = 0;
function hideCurl() {
  $("curl-text").value = "";
  $("curl-text").hidden = $("curl-label").hidden = true;
  $("share-link").value = "";
  $("share-link").hidden = $("share-label").hidden = true;
  $("curl-status").textContent = "";
}

/** The violations as ranges of `text` for the editor to underline, each with its rule in the tooltip. */
function marks(text, violations) {
  const ranges = locatePaths(text, violations.map((v) => v.path));
  return violations.flatMap((v, i) => {
    let range = ranges[i];
    // Text that is not JSON: the parser's message says where it stopped.
    const at = v.rule === "json" ? /position (\d+)/.exec(v.message) : null;
    if (!range && at) range = { from: Number(at[1]), to: Number(at[1]) + 1 };
    return range ? [{ from: range.from, to: range.to, source: v.path, message: `${v.path} [${v.rule}]: ${v.message}` }] : [];
  });
}

function bodyEdited() {
  hideCurl();
  clearTimeout(debounce);
  $("body-state").textContent = "Checking…";
  debounce = setTimeout(validateNow, 250);
}

/** The editor: created at start, once the package's functions it calls are loaded. */
let editor = null;

$("format").addEventListener("click", () => {
  const parsed = readBody();
  if (parsed.violations) {
    $("body-state").textContent = `Cannot format: the body is ${parsed.violations[0].message}`;
    return;
  }
  editor.text = pretty(parsed.body);
  validateNow();
});
$("cmd").addEventListener("change", () => {
  hideCurl();
  showCommandInfo(command());
  loadSample();
});
$("load-sample").addEventListener("click", loadSample);

// ---------------------------------------------------------------------------------------------
// A pasted request (paste.js reads it)

/** Puts a pasted body in the editor, pretty-printed when it is JSON, and checks it. */
function loadPasted(cmd, bodyText) {
  let text = bodyText;
  try {
    text = pretty(JSON.parse(bodyText));
  } catch {
    // Shown as pasted: the check names what is wrong with it.
  }
  loadIntoEditor(cmd, text);
  validateNow();
}

/** Fills the configuration from a pasted request: SDKAppID, identifier, and its server. */
function configurePasted({ sdkAppId, identifier, origin }) {
  if (sdkAppId) $("cfg-sdkappid").value = sdkAppId;
  if (identifier) $("cfg-identifier").value = identifier;
  if (origin) {
    const host = origin.replace(/^https?:\/\//, "");
    const region = regionList.find((r) => r.domain === host || r.backupDomain === host);
    $("cfg-server").value = region ? region.id : CUSTOM;
    $("cfg-backup").checked = region?.backupDomain === host;
    if (!region) $("cfg-baseurl").value = origin;
  }
  updateConfigView();
}

// ---------------------------------------------------------------------------------------------
// Copy as curl

$("copy-curl").addEventListener("click", async () => {
  const status = $("curl-status");
  const area = $("curl-text");
  let client;
  try {
    const parsed = readBody();
    if (parsed.violations) throw new Error(parsed.violations[0].message);
    client = makeClient();
    const curl = client.preview(command(), parsed.body).curl;
    area.value = curl;
    area.hidden = $("curl-label").hidden = false;
    try {
      await navigator.clipboard.writeText(curl);
      status.textContent = "Copied (usersig redacted: put a real one in before running it).";
    } catch {
      area.focus();
      area.select();
      status.textContent = "Selected: press Ctrl+C (⌘C) to copy.";
    }
  } catch (error) {
    status.textContent = isValidationError(error)
      ? `Fix the body first: ${error.violations.map((v) => v.path).join(", ")}`
      : String(error?.message ?? error);
  } finally {
    client?.free();
  }
});

// ---------------------------------------------------------------------------------------------
// Share a call

$("share").addEventListener("click", async () => {
  const link = shareLink(command(), editor.text);
  $("share-link").value = link;
  $("share-link").hidden = $("share-label").hidden = false;
  try {
    await navigator.clipboard.writeText(link);
    $("curl-status").textContent = "Link copied: it opens this endpoint and body (no key, no usersig).";
  } catch {
    $("share-link").focus();
    $("share-link").select();
    $("curl-status").textContent = "Selected: press Ctrl+C (⌘C) to copy the link.";
  }
});

// ---------------------------------------------------------------------------------------------
// Sending and the result

const history = [];

let sending = false;

async function send(entry) {
  if (sending) return;
  const cmd = entry?.command ?? command();
  const bodyText = entry?.bodyText ?? editor.text;
  clearTimeout(debounce);
  if (entry) loadIntoEditor(cmd, bodyText);
  validateNow();
  sending = true;
  $("send").disabled = true;
  $("res-empty").hidden = true;
  $("res-body").hidden = false;
  $("res-summary").textContent = `Sending ${cmd}…`;
  $("res-body").dataset.state = "sending";
  let client;
  let summary = "";
  let state = "error";
  try {
    const { body, violations } = readBody(bodyText);
    if (violations) throw Object.assign(new Error(`the body is ${violations[0].message}`), { name: "JSON" });
    client = makeClient();
    const preview = client.preview(cmd, body);
    $("sent-url").textContent = preview.url;
    $("sent-body").textContent = pretty(JSON.parse(preview.body));
    $("response").textContent = "";
    renderItems(null);
    showError(null);
    $("no-reply-hint").hidden = true;
    const reply = await client.request(cmd, body);
    const { meta, ...fields } = reply;
    $("sent-url").textContent = meta.url;
    $("response").textContent = pretty(fields);
    renderItems(fields);
    const counts = {};
    for (const row of $("items").tBodies[0].rows) if (row.dataset.outcome) counts[row.dataset.outcome] = (counts[row.dataset.outcome] ?? 0) + 1;
    const detail = Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(", ");
    summary = `OK${detail ? ` (${detail})` : ""}`;
    state = "ok";
    $("res-summary").textContent = `${cmd}: ErrorCode 0${detail ? `, items ${detail}` : ""} · ${meta.durationMs} ms · ${meta.attempts} attempt${meta.attempts === 1 ? "" : "s"}`;
  } catch (error) {
    if (isApiError(error)) {
      summary = `${error.errorCode} ${error.codeName}`;
      if (error.url) $("sent-url").textContent = error.url;
      $("response").textContent = pretty({ ActionStatus: error.actionStatus, ErrorCode: error.errorCode, ErrorInfo: error.errorInfo, ...(error.errorDisplay !== undefined ? { ErrorDisplay: error.errorDisplay } : {}), ...(error.requestId ? { RequestId: error.requestId } : {}) });
    } else {
      summary = error?.name ?? "Error";
      if (!client || isValidationError(error)) { $("sent-url").textContent = "(not sent)"; $("sent-body").textContent = ""; }
      $("response").textContent = "";
    }
    renderItems(null);
    showError(error, !client);
    if (error?.name === "NetworkError" && !offline()) showNoReply(currentRoute());
    $("res-summary").textContent = `${cmd}: ${isApiError(error) ? "request failed" : "not completed"} · ${summary}`;
  } finally {
    client?.free();
    sending = false;
    $("send").disabled = false;
    $("res-body").dataset.state = state;
  }
  addHistory({ command: cmd, bodyText, target: targetLabel(), at: new Date(), summary, state });
  renderState();
}

$("send").addEventListener("click", () => send());

/** Says why a call got no reply: the server is down, or it refused this page's origin (CORS). */
async function showNoReply(via) {
  const hint = $("no-reply-hint");
  hint.hidden = false;
  hint.textContent = via.forwarded ? `No reply through this page's server: see its log for ${via.direct}.` : "Checking why there was no reply…";
  if (via.forwarded) return;
  const line = await explainNoReply(via.direct, $("cfg-server").value !== CUSTOM);
  hint.textContent = line;
  hint.dataset.cors = String(line.includes("(CORS)"));
}

// ---------------------------------------------------------------------------------------------
// History (memory only: bodies hold no secrets, but the page stores nothing anyway)

function addHistory(entry) {
  history.push(entry);
  const index = history.length - 1;
  const time = entry.at.toTimeString().slice(0, 8);
  const rerun = el("button", { type: "button", className: "small-btn", "aria-label": `Re-run call ${index + 1}, ${entry.command}` }, "Re-run");
  rerun.addEventListener("click", () => send(history[index]));
  const load = el("button", { type: "button", className: "small-btn", "aria-label": `Load call ${index + 1}, ${entry.command}, into the editor` }, "Load");
  load.addEventListener("click", () => {
    loadIntoEditor(entry.command, entry.bodyText);
    validateNow();
    editor.focus();
  });
  const li = el("li", { dataset: { command: entry.command, state: entry.state } },
    el("span", { className: "when" }, time), " ", el("code", {}, entry.command), " ",
    el("span", { className: `verdict-${entry.state}` }, entry.summary), " ",
    el("span", { className: "muted" }, `→ ${entry.target}`), " ", load, " ", rerun);
  $("history").prepend(li);
  $("hist-empty").hidden = true;
}

// ---------------------------------------------------------------------------------------------
// Emulator state

function renderState() {
  if (!emulator || !offline()) return;
  renderCallbacks(emulator, DEMO_APP, $("callbacks"), $("cb-empty"));
  renderUserState(emulator.snapshot());
}

$("state-user").addEventListener("change", renderState);
$("emu-reset").addEventListener("click", () => {
  newEmulator();
  renderState();
  $("dbg-status").textContent = "Emulator reset: the demo accounts have no friends, lists or blocks.";
});

// ---------------------------------------------------------------------------------------------
// Keys: cleared with the UserSig panel's, and when leaving the page

function clearSecrets() {
  $("cfg-key").value = "";
  $("cfg-usersig").value = "";
}
$("clear-keys").addEventListener("click", clearSecrets);
addEventListener("pagehide", clearSecrets);

// ---------------------------------------------------------------------------------------------
// Start

try {
  // The declarations are a help, not a requirement: the page works without them.
  const types = loadDeclarations(import.meta.resolve("tim-sns")).catch((error) => {
    console.warn(`tim-sns debugging tool: no TypeScript declarations: ${error.message}`);
    return null;
  });
  [forwarder] = await Promise.all([detectForwarder(), init(), initEmulator()]);
  editor = createEditor($("body-editor"), {
    id: "body", labelledBy: "body-label", describedBy: "body-state", onChange: bodyEdited, onSubmit: () => send(),
    complete: (text, pos) => completeAt(command(), text, pos),
  });
  declarations = await types;
  regionList = regions();
  $("cfg-server").replaceChildren(
    ...regionList.map((r) => el("option", { value: r.id }, `${r.name} (${r.domain})`)),
    el("option", { value: CUSTOM }, "Custom base URL…"),
  );
  $("cfg-server").value = regionList.some((r) => r.id === "singapore") ? "singapore" : regionList[0].id;
  $("cmd").replaceChildren(...COMMANDS.map((c) => el("option", { value: c }, `v4/sns/${c}`)));
  $("cmd").value = "friend_add";
  showCommandInfo(command());
  for (const id of ["cfg-offline", "cfg-auth", "cfg-server", "cfg-backup"]) $(id).addEventListener("change", updateConfigView);
  $("cfg-baseurl").addEventListener("input", updateConfigView);
  newEmulator();
  updateConfigView();
  const shared = readShared(location.hash, COMMANDS);
  if (shared) {
    loadIntoEditor(shared.command, shared.bodyText);
    validateNow();
  } else {
    loadSample();
  }
  $("send").disabled = $("copy-curl").disabled = $("share").disabled = false;
  $("dbg-status").textContent = `Ready. Offline mode: calls go to the emulator in this tab.${shared ? ` Loaded the shared ${shared.command} call.` : ""}`;
  $("dbg-status").classList.add("ready");
  initPaste({ secretKey: () => $("cfg-key").value, load: loadPasted, configure: configurePasted });
  document.body.dataset.debuggerReady = "true";
} catch (error) {
  $("dbg-status").textContent = `Could not start: ${error?.message ?? error}`;
  $("dbg-status").classList.add("failed");
}
