// The paste box in headless Chromium: a curl command with an expired usersig and a body with
// two violations, then a URL with its body and a reply with items 30539 and 30516; what the
// page shows is asserted as text, and neither the usersig nor the key is left anywhere. Then a
// shared link reopens the same call.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { genUserSig } from "tim-sns";
import { openDebugger, watchedPage, secretPlaces, editorText, setEditorText } from "./chromium.mjs";

const SDKAPPID = 1400000000;
const KEY = "paste-test-key-5f1e0c2b9a8d7e6f";
const now = Math.floor(Date.now() / 1000);
// Issued two hours ago for one hour: expired an hour ago.
const EXPIRED = genUserSig({ sdkAppId: SDKAPPID, secretKey: KEY, identifier: "administrator", time: now - 7200, expireSeconds: 3600 });
const GOOD = genUserSig({ sdkAppId: SDKAPPID, secretKey: KEY, identifier: "administrator", expireSeconds: 86400 });
const URL_OF = (sig) => `https://adminapisgp.im.qcloud.com/v4/sns/friend_add?sdkappid=${SDKAPPID}&identifier=administrator&usersig=${sig}&random=12345&contenttype=json`;
const BAD_BODY = { From_Account: "alice", AddType: "Both", AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Web" }, { To_Account: "carol", AddSource: "web!" }] };

let server, browser, page;
const problems = [];

let debuggerPage;
before(async () => {
  debuggerPage = await openDebugger(problems);
  ({ server, browser, page } = debuggerPage);
});

after(() => debuggerPage?.close());

const texts = (selector) => page.$$eval(selector, (els) => els.map((e) => e.textContent.trim()));

async function pasteAndLoad(text) {
  await page.fill("#paste-text", text);
  await page.click("#paste-load");
  await page.waitForSelector("#paste-result:not([hidden])");
}

test("a curl command with an expired usersig and two body violations: the decoded sig with 70001, both violations at their paths", async () => {
  const curl = `curl -X POST '${URL_OF(EXPIRED)}' \\\n  -H 'Content-Type: application/json' \\\n  --data-raw '${JSON.stringify(BAD_BODY)}'`;
  await pasteAndLoad(curl);
  const expiresAt = now - 3600;
  assert.equal(await page.textContent("#paste-summary"), `v4/sns/friend_add at https://adminapisgp.im.qcloud.com · SDKAppID ${SDKAPPID} · identifier administrator · random 12345`);
  assert.deepEqual(await texts("#paste-sig-problems li"), [`70001 [expired]: usersig expired after Unix time ${expiresAt}`]);
  assert.equal(await page.textContent("#paste-sig-state"), "The server refuses it with 70001 (the first problem it checks).");
  const sigRows = await page.$$eval("#paste-sig tr", (trs) => trs.map((tr) => [tr.cells[0].textContent, tr.cells[1]?.textContent ?? tr.querySelector("td").textContent]));
  assert.deepEqual(sigRows.slice(0, 2), [["Identifier", "administrator"], ["SDKAppID", String(SDKAPPID)]]);
  assert.match(sigRows[4][1], new RegExp(`\\(Unix ${expiresAt}\\)$`));
  assert.equal(await page.textContent("#paste-sig-verified"), "Signature not checked: enter the secret key in Configuration to check it.");
  assert.equal(await page.textContent("#paste-body-state"), "2 problems in the body (also marked in the editor):");
  assert.deepEqual(await page.$$eval("#paste-violations li", (lis) => lis.map((li) => li.dataset.path)), ["AddFriendItem[1].AddSource", "AddType"]);
  const shown = await texts("#paste-violations li");
  assert.match(shown[0], /^AddFriendItem\[1\]\.AddSource \[pattern\]: /);
  assert.match(shown[1], /^AddType \[enum\]: .*Add_Type_Single/);
  assert.deepEqual(await page.$$eval("#paste-problems li", (lis) => lis.length), 0);

  // Loaded: the endpoint, the body (pretty), the SDKAppID, the identifier and the region.
  assert.equal(await page.inputValue("#cmd"), "friend_add");
  assert.deepEqual(JSON.parse(await editorText(page)), BAD_BODY);
  assert.deepEqual(await page.$$eval("#body-violations li", (lis) => lis.map((li) => li.dataset.path)), ["AddFriendItem[1].AddSource", "AddType"]);
  assert.equal(await page.inputValue("#cfg-sdkappid"), String(SDKAPPID));
  assert.equal(await page.inputValue("#cfg-identifier"), "administrator");
  assert.equal(await page.inputValue("#cfg-server"), "singapore");

  // The box keeps the paste without its usersig; the sig is nowhere on the page.
  assert.match(await page.inputValue("#paste-text"), /usersig=REDACTED&random=12345/);
  assert.deepEqual(await secretPlaces(page, [EXPIRED]), []);
});

test("a URL, its body and a reply with items 30539 and 30516: the sig verified with the key, each item explained", async () => {
  await page.uncheck("#cfg-offline");
  await page.fill("#cfg-key", KEY);
  const reply = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", ErrorDisplay: "", ResultItem: [
    { To_Account: "carol", ResultCode: 30539, ResultInfo: "" }, { To_Account: "dave", ResultCode: 30516, ResultInfo: "" }] };
  const body = { From_Account: "alice", AddFriendItem: [{ To_Account: "carol", AddSource: "AddSource_Type_Web" }, { To_Account: "dave", AddSource: "AddSource_Type_Web" }] };
  await pasteAndLoad(`POST ${URL_OF(GOOD)}\n${JSON.stringify(body, null, 2)}\n\nreply: ${JSON.stringify(reply)}`);
  assert.deepEqual(await texts("#paste-sig-problems li"), []);
  assert.equal(await page.textContent("#paste-sig-state"), "Accepted as far as checked, signature included.");
  assert.equal(await page.textContent("#paste-sig-verified"), "The signature matches the secret key in Configuration.");
  assert.equal(await page.textContent("#paste-body-state"), "The body breaks no documented rule.");
  const rows = await page.$$eval("#paste-items tbody tr", (trs) => trs.map((tr) => Array.from(tr.cells, (td) => td.textContent.trim())));
  assert.equal(rows.length, 2);
  assert.deepEqual(rows.map((r) => r.slice(0, 3)), [["carol", "30539", "pending"], ["dave", "30516", "failed"]]);
  assert.match(rows[0][3], /^PENDING_APPROVAL — the target needs to approve.*Hint: wait for the target to accept/);
  assert.match(rows[1][3], /^ADD_DENIED — the target accepts no friend requests.*Hint: /);
  // The key is in its password field only; neither it nor the sig shows anywhere else.
  assert.deepEqual(await secretPlaces(page, [KEY, GOOD, EXPIRED]), []);
  assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0);
});

test("the same key refuses a sig of another key with 70009; a whole-request failure in the reply is explained", async () => {
  const other = genUserSig({ sdkAppId: SDKAPPID, secretKey: "another-key", identifier: "administrator", expireSeconds: 86400 });
  const reply = { ActionStatus: "FAIL", ErrorCode: 70009, ErrorInfo: "Err_TLS_Sig_Verify_Failed" };
  await pasteAndLoad(`${URL_OF(other)} ${JSON.stringify({ From_Account: "alice", AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Web" }] })} -> ${JSON.stringify(reply)}`);
  assert.deepEqual(await page.$$eval("#paste-sig-problems li", (lis) => lis.map((li) => li.dataset.code)), ["70009"]);
  assert.equal(await page.textContent("#paste-sig-verified"), "The signature does not match the secret key in Configuration (70009).");
  assert.equal(await page.getAttribute("#paste-reply-error", "data-code"), "70009");
  assert.match(await page.textContent("#paste-reply-error"), /^The request failed: 70009 /);
  assert.deepEqual(await secretPlaces(page, [KEY, other]), []);
  await page.fill("#cfg-key", "");
  await page.check("#cfg-offline");
});

test("a shared link reopens the endpoint and the body, and holds no secret", async () => {
  await page.selectOption("#cmd", "friend_get");
  await setEditorText(page, JSON.stringify({ From_Account: "alice", StartIndex: 0 }));
  await page.click("#share");
  await page.waitForSelector("#share-link:not([hidden])");
  const link = await page.inputValue("#share-link");
  assert.ok(link.startsWith(new URL("www/index.html#command=friend_get&body=", server.url).href), link);
  assert.ok(![KEY, GOOD, EXPIRED].some((s) => link.includes(s)));
  const other = await watchedPage(browser, problems);
  await other.goto(link);
  await other.waitForSelector("body[data-debugger-ready=true]", { timeout: 15000 });
  assert.equal(await other.inputValue("#cmd"), "friend_get");
  assert.deepEqual(JSON.parse(await editorText(other)), { From_Account: "alice", StartIndex: 0 });
  assert.match(await other.textContent("#dbg-status"), /Loaded the shared friend_get call/);
  await other.close();
  assert.deepEqual(problems, []);
});
