// The www/ API-call panel in headless Chromium: offline calls against the in-tab emulator, the
// validation as you type, a 30539 explained, a real HTTP call to a spawned `tim-sns emulator`,
// and no secret in storage or the markup.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { genUserSig } from "tim-sns";
import { serve } from "../../scripts/static-server.mjs";
import { launch, watchedPage, secretPlaces, editorText, setEditorText } from "./chromium.mjs";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const cli = fileURLToPath(new URL("../../node_modules/.bin/tim-sns", import.meta.url));
// Test runs write their screenshot under target/; `bash scripts/refresh-screenshot.sh` points
// TIM_SNS_SCREENSHOT_DIR at docs/ to refresh the copy in docs/ on purpose.
const screenshotDir = process.env.TIM_SNS_SCREENSHOT_DIR
  ? pathToFileURL(`${resolve(process.env.TIM_SNS_SCREENSHOT_DIR)}/`)
  : new URL("../../target/screenshots/", import.meta.url);

const SDKAPPID = 1400000000;
const KEY = "9f2c6b1e4a7d3c5e8b0f1a2d3e4c5b6a7f8e9d0c1b2a3f4e5d6c7b8a9f0e1d2c";

let server, browser, page, emulator, emulatorUrl;
const problems = [];
const sentSigs = []; // every usersig the page put on a real request

function startEmulator() {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [cli, "emulator", "--port", "0", "--key", KEY, "--sdkappid", String(SDKAPPID),
      "--users", "alice,bob,carol,dave", "--quiet"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const timer = setTimeout(() => fail(new Error(`emulator did not start: ${out}`)), 10000);
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) { clearTimeout(timer); ok({ child, url: m[1] }); }
    });
    child.stderr.on("data", (chunk) => { out += chunk; });
    child.on("exit", (code) => { clearTimeout(timer); fail(new Error(`emulator exited with ${code}: ${out}`)); });
  });
}

before(async () => {
  server = await serve(repoRoot);
  ({ child: emulator, url: emulatorUrl } = await startEmulator());
  browser = await launch();
  page = await watchedPage(browser, problems);
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });
  page.on("request", (r) => {
    const sig = new URL(r.url()).searchParams.get("usersig");
    if (sig) sentSigs.push(sig);
  });
  await page.goto(new URL("www/index.html", server.url).href);
  await page.waitForSelector("body[data-debugger-ready=true]", { timeout: 15000 });
});

after(async () => {
  await browser?.close();
  await server?.close();
  emulator?.kill();
});

const rows = (selector) => page.$$eval(`${selector} tbody tr`, (trs) => trs.map((tr) => ({
  account: tr.dataset.account, code: tr.dataset.code, outcome: tr.dataset.outcome,
  cells: Array.from(tr.cells, (td) => td.textContent.trim()),
})));

async function setBody(value) {
  await setEditorText(page, typeof value === "string" ? value : JSON.stringify(value, null, 2));
}

async function sendAndWait() {
  const before = await page.$$eval("#history li", (lis) => lis.length);
  await page.click("#send");
  await page.waitForFunction((n) => document.querySelectorAll("#history li").length > n, before, { timeout: 10000 });
  return page.getAttribute("#res-body", "data-state");
}

async function choose(cmd) {
  await page.selectOption("#cmd", cmd);
}

test("the page offers all 15 commands, offline mode by default, and the key warning", async () => {
  const commands = await page.$$eval("#cmd option", (os) => os.map((o) => o.value));
  assert.equal(commands.length, 15);
  assert.ok(commands.includes("friend_add") && commands.includes("group_get") && commands.includes("black_list_check"));
  assert.equal(await page.isChecked("#cfg-offline"), true);
  assert.ok(await page.isVisible("[data-testid=key-warning]"));
  assert.match(await page.textContent("[data-testid=key-warning]"), /never stored/);
  assert.equal(await page.inputValue("#cmd"), "friend_add");
  assert.deepEqual(JSON.parse(await editorText(page)).AddFriendItem[0].To_Account, "bob");
  assert.match(await page.textContent("#cmd-limits"), /AddFriendItem/);
  // Each region's domain is shown, plus a custom base URL.
  const servers = await page.$$eval("#cfg-server option", (os) => os.map((o) => o.textContent));
  assert.ok(servers.some((t) => t.includes("adminapisgp.im.qcloud.com")));
  assert.ok(servers.some((t) => /Custom base URL/.test(t)));
  // Every control has a label.
  const unlabelled = await page.$$eval("input, textarea, select", (els) =>
    els.filter((el) => !el.id || !document.querySelector(`label[for="${el.id}"]`)).map((el) => el.id || el.outerHTML));
  assert.deepEqual(unlabelled, []);
});

test("offline: alice adds bob (AllowAny), then friend_get lists him, and the state shows it", async () => {
  await choose("friend_add");
  await setBody({ From_Account: "alice", AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Web", Remark: "Bobby" }] });
  assert.equal(await sendAndWait(), "ok");
  const added = await rows("#items");
  assert.equal(added.length, 1);
  assert.equal(added[0].account, "bob");
  assert.equal(added[0].code, "0");
  assert.equal(added[0].outcome, "ok");
  assert.match(await page.textContent("#sent-url"), /\/v4\/sns\/friend_add\?.*usersig=REDACTED/);
  assert.equal(JSON.parse(await page.textContent("#sent-body")).AddFriendItem[0].To_Account, "bob");
  assert.equal(JSON.parse(await page.textContent("#response")).ErrorCode, 0);

  // The emulator state of alice now has bob with the remark.
  await page.selectOption("#state-user", "alice");
  const friends = await rows("#state-friends");
  assert.deepEqual(friends.map((r) => r.account), ["bob"]);
  assert.equal(friends[0].cells[1], "Bobby");

  await choose("friend_get");
  await setBody({ From_Account: "alice", StartIndex: 0 });
  assert.equal(await sendAndWait(), "ok");
  const got = await rows("#items");
  assert.deepEqual(got.map((r) => r.account), ["bob"]);
  assert.match(got[0].cells[3], /Tag_SNS_IM_Remark=Bobby/);
  assert.equal(JSON.parse(await page.textContent("#response")).FriendNum, 1);
  assert.equal(await page.$$eval("#history li", (lis) => lis.length), 2);

  // The Callbacks view: one Sns.CallbackFriendAdd with both pairs, signed and checked; none for friend_get.
  const callbacks = await page.$$eval("#callbacks tbody tr", (trs) =>
    trs.map((tr) => [tr.dataset.command, tr.querySelector("summary").textContent, tr.cells[3].textContent]));
  assert.deepEqual(callbacks, [["Sns.CallbackFriendAdd", "alice → bob, bob → alice", "signature valid"]]);
  assert.match(await page.textContent("#callbacks pre"), /^POST \?SdkAppid=\d+&CallbackCommand=Sns\.CallbackFriendAdd&.*&Sign=[0-9a-f]{64}&RequestTime=\d+/);
});

test("an invalid AddSource is flagged by its path while typing", async () => {
  await choose("friend_add");
  await setBody({ From_Account: "alice", AddFriendItem: [{ To_Account: "bob", AddSource: "web!" }] });
  await page.waitForSelector('#body-violations li[data-path="AddFriendItem[0].AddSource"]', { timeout: 5000 });
  const paths = await page.$$eval("#body-violations li", (lis) => lis.map((li) => `${li.dataset.path} ${li.dataset.rule}`));
  assert.deepEqual(paths, ["AddFriendItem[0].AddSource pattern"]);
  assert.equal(await page.getAttribute("#body", "aria-invalid"), "true");
  // Fixing it clears the list.
  await setBody({ From_Account: "alice", AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Web" }] });
  await page.waitForSelector("#body-violations", { state: "hidden", timeout: 5000 });
  assert.equal(await page.getAttribute("#body", "aria-invalid"), "false");
});

test("alice adds carol (NeedConfirm): 30539 pending, explained; carol's pending list shows alice", async () => {
  await choose("friend_add");
  await setBody({ From_Account: "alice", AddFriendItem: [{ To_Account: "carol", AddSource: "AddSource_Type_Web" }] });
  assert.equal(await sendAndWait(), "ok");
  const items = await rows("#items");
  assert.equal(items.length, 1);
  assert.equal(items[0].account, "carol");
  assert.equal(items[0].code, "30539");
  assert.equal(items[0].outcome, "pending");
  assert.match(items[0].cells[3], /PENDING_APPROVAL/);
  assert.match(items[0].cells[3], /Hint: wait for the target to accept/);
  await page.selectOption("#state-user", "carol");
  assert.equal(await page.textContent("#state-pending"), "alice");
});

test("a whole-request failure is explained with its code, name and hint; history can re-run a call", async () => {
  await choose("friend_get");
  await setBody({ From_Account: "nobody", StartIndex: 0 });
  assert.equal(await sendAndWait(), "error");
  assert.equal(await page.getAttribute("#api-error", "data-code"), "30003");
  assert.equal(await page.getAttribute("#api-error", "data-name"), "ACCOUNT_NOT_FOUND");
  assert.match(await page.textContent("#api-error"), /Hint: import the account first/);

  // Re-run the first call of the history (alice adds bob): the reply is now "already friends".
  const count = await page.$$eval("#history li", (lis) => lis.length);
  await page.click("#history li:last-child button:has-text('Re-run')");
  await page.waitForFunction((n) => document.querySelectorAll("#history li").length > n, count);
  assert.equal(await page.inputValue("#cmd"), "friend_add");
  const items = await rows("#items");
  assert.equal(items[0].account, "bob");
  assert.notEqual(items[0].code, "0");
  assert.equal(items[0].outcome, "failed");
});

test("copy as curl gives the redacted command", async () => {
  await choose("friend_get");
  await setBody({ From_Account: "alice", StartIndex: 0 });
  await page.click("#copy-curl");
  await page.waitForFunction(() => document.getElementById("curl-status").textContent !== "");
  const curl = await page.inputValue("#curl-text");
  assert.match(curl, /^curl -X POST '.*\/v4\/sns\/friend_get\?.*usersig=REDACTED/);
  assert.match(curl, /"From_Account":"alice"/);
});

test("every command: its types are shown, its sample is valid, and sending it ends in a reply", async () => {
  const commands = await page.$$eval("#cmd option", (os) => os.map((o) => o.value));
  for (const cmd of commands) {
    await choose(cmd);
    assert.equal(await page.textContent("#body-state"), "Valid.", `${cmd} sample`);
    assert.match(await page.textContent("#cmd-request-type-name"), /Request$/, cmd);
    assert.match(await page.textContent("#cmd-response-type-name"), /Response$/, cmd);
    assert.match(await page.textContent("#cmd-request-type"), /export interface \w+Request \{/, cmd);
    assert.ok((await page.textContent("#cmd-limits")).length > 20, `${cmd} limits`);
    const state = await sendAndWait();
    // Success, or a whole-request failure the page explains (a list that does not exist): never
    // a refusal to send or a client-side error.
    if (state !== "ok") {
      assert.match(await page.getAttribute("#api-error", "data-code") ?? "", /^\d+$/, `${cmd}: ${await page.textContent("#res-summary")}`);
    }
  }
  assert.match(await page.textContent("#cmd-request-type"), /GroupGetRequest/);
  await page.click("#emu-reset");
});

test("online: a custom base URL reaches a spawned tim-sns emulator over HTTP", async () => {
  await page.uncheck("#cfg-offline");
  assert.ok(await page.isHidden("#state-body"));
  await page.fill("#cfg-identifier", "administrator");
  await page.fill("#cfg-key", KEY);
  await page.selectOption("#cfg-server", "custom");
  await page.fill("#cfg-baseurl", emulatorUrl);
  await choose("friend_add");
  // A bad configuration is not sent, and is said to be the configuration's fault.
  await page.fill("#cfg-sdkappid", "0");
  assert.equal(await sendAndWait(), "error");
  assert.match(await page.textContent("#api-error"), /configuration is not valid/);
  assert.deepEqual(await page.$$eval("#send-violations li", (lis) => lis.map((li) => li.dataset.path)), ["sdkAppId"]);
  await page.fill("#cfg-sdkappid", String(SDKAPPID));
  await setBody({ From_Account: "alice", AddFriendItem: [{ To_Account: "carol", AddSource: "AddSource_Type_Web" }, { To_Account: "zed", AddSource: "AddSource_Type_Web" }] });
  const before = sentSigs.length;
  assert.equal(await sendAndWait(), "ok");
  assert.ok(sentSigs.length > before, "a real HTTP request was made");
  assert.ok((await page.textContent("#sent-url")).startsWith(`${emulatorUrl}/v4/sns/friend_add?`));
  const items = await rows("#items");
  assert.deepEqual(items.map((r) => [r.account, r.outcome]), [["carol", "pending"], ["zed", "failed"]]);
  assert.match(items[0].cells[3], /PENDING_APPROVAL/);
  assert.match(items[1].cells[3], /^[A-Z_]{5,} — /);
  assert.match(await page.textContent("#history li:first-child"), new RegExp(emulatorUrl.replace(/[.:/]/g, "\\$&")));
});

test("online with a pasted admin UserSig instead of the key", async () => {
  const sig = genUserSig({ sdkAppId: SDKAPPID, secretKey: KEY, identifier: "administrator", expireSeconds: 3600 });
  await page.selectOption("#cfg-auth", "sig");
  assert.ok(await page.isHidden("#cfg-key"));
  // Nothing pasted yet: said plainly, nothing sent.
  await choose("friend_get");
  assert.equal(await sendAndWait(), "error");
  assert.match(await page.textContent("#api-error"), /Paste an admin UserSig/);
  await page.fill("#cfg-usersig", sig);
  const before = sentSigs.length;
  assert.equal(await sendAndWait(), "ok");
  assert.equal(sentSigs.at(-1), sig, "the pasted sig signed the request");
  assert.ok(sentSigs.length > before);
  assert.match(await page.textContent("#sent-url"), /usersig=REDACTED/);
  assert.equal(JSON.parse(await page.textContent("#response")).FriendNum, 0);
  await page.selectOption("#cfg-auth", "key");
});

test("neither the key nor a usersig reaches storage or the markup", async () => {
  assert.ok(sentSigs.length > 0);
  const secrets = [KEY, ...new Set(sentSigs)];
  // The newer inputs too: a pasted request carrying a sig that was sent, and a share link.
  await page.fill("#paste-text", `curl -X POST '${emulatorUrl}/v4/sns/friend_get?sdkappid=${SDKAPPID}&identifier=administrator&usersig=${sentSigs.at(-1)}&random=1&contenttype=json' --data-raw '{"From_Account":"alice","StartIndex":0}'`);
  await page.click("#paste-load");
  await page.waitForSelector("#paste-result:not([hidden])");
  assert.equal(await page.getAttribute("#paste-sig-state", "data-code"), "0");
  await page.click("#share");
  await page.waitForSelector("#share-link:not([hidden])");
  // Storage, cookies, the URL, the markup, the rendered text and every control's value but the
  // two password fields (the paste box and the share link included).
  assert.deepEqual(await secretPlaces(page, secrets), []);
  assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0);
  // The key is in the field (memory) and nowhere else; the clear button empties it.
  assert.equal(await page.inputValue("#cfg-key"), KEY);
  assert.equal(await page.getAttribute("#cfg-key", "value"), null);
  assert.equal(await page.getAttribute("#cfg-usersig", "value"), null);
});

test("screenshot of the debugger, and no page or console errors", async () => {
  await page.click("#clear-keys");
  assert.equal(await page.inputValue("#cfg-key"), "");
  assert.equal(await page.inputValue("#cfg-usersig"), "");
  await page.check("#cfg-offline");
  await page.selectOption("#state-user", "alice");
  await choose("friend_add");
  await setBody({ From_Account: "alice", AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Web" }, { To_Account: "carol", AddSource: "AddSource_Type_Web" }, { To_Account: "dave", AddSource: "AddSource_Type_Web" }] });
  assert.equal(await sendAndWait(), "ok");
  // Then a failing request pasted from a log: its expired sig decoded, its bad AddSource underlined.
  const expired = genUserSig({ sdkAppId: SDKAPPID, secretKey: KEY, identifier: "administrator", time: Math.floor(Date.now() / 1000) - 7200, expireSeconds: 3600 });
  await page.fill("#paste-text", `curl -X POST 'https://adminapisgp.im.qcloud.com/v4/sns/friend_add?sdkappid=${SDKAPPID}&identifier=administrator&usersig=${expired}&random=4242&contenttype=json' --data-raw '{"From_Account":"alice","AddFriendItem":[{"To_Account":"bob","AddSource":"AddSource_Type_Web"},{"To_Account":"carol","AddSource":"web!"}]}'`);
  await page.click("#paste-load");
  await page.waitForSelector(".cm-lintRange-error");
  assert.equal(await page.getAttribute("#paste-sig-problems li", "data-code"), "70001");
  mkdirSync(screenshotDir, { recursive: true });
  const box = await page.$eval("#debugger", (el) => { const r = el.getBoundingClientRect(); return { bottom: r.bottom + window.scrollY }; });
  await page.screenshot({ path: fileURLToPath(new URL("debugger.png", screenshotDir)), fullPage: true, clip: { x: 0, y: 0, width: 1366, height: Math.ceil(box.bottom) + 16 } });
  assert.deepEqual(problems, []);
});
