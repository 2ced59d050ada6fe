// The body editor (CodeMirror, bundled into the package's www/editor.js) in headless Chromium:
// a violation underlined at its path with the rule in a tooltip, completion of member names and
// of AddType's values from the endpoint's schema, and format on demand.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openDebugger, editorText, setEditorText } from "./chromium.mjs";

let page;
const problems = [];

let debuggerPage;
before(async () => {
  debuggerPage = await openDebugger(problems);
  ({ page } = debuggerPage);
});

after(() => debuggerPage?.close());

const options = () => page.$$eval(".cm-tooltip-autocomplete li", (lis) => lis.map((li) => li.querySelector(".cm-completionLabel").textContent));

test("a bad AddSource is underlined at AddFriendItem[1].AddSource, with its rule in the tooltip", async () => {
  const body = { From_Account: "alice", AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Web" }, { To_Account: "carol", AddSource: "web!" }] };
  await setEditorText(page, JSON.stringify(body, null, 2));
  await page.waitForSelector(".cm-lintRange-error", { timeout: 5000 });
  assert.deepEqual(await page.$$eval(".cm-lintRange-error", (els) => els.map((e) => e.textContent)), ['"web!"']);
  assert.equal(await page.getAttribute("#body", "aria-invalid"), "true");
  await page.hover(".cm-lintRange-error");
  await page.waitForSelector(".cm-tooltip-lint", { timeout: 5000 });
  assert.match(await page.textContent(".cm-tooltip-lint"), /^AddFriendItem\[1\]\.AddSource \[pattern\]: /);
  // Fixed: no mark is left.
  await setEditorText(page, JSON.stringify({ ...body, AddFriendItem: [body.AddFriendItem[0]] }, null, 2));
  await page.waitForFunction(() => document.getElementById("body-state").textContent === "Valid.", null, { timeout: 5000 });
  assert.equal(await page.$$eval(".cm-lintRange-error", (els) => els.length), 0);
  assert.equal(await page.getAttribute("#body", "aria-invalid"), "false");
});

test("completion offers the members not yet given, and AddType's values", async () => {
  await page.mouse.move(0, 0);
  await setEditorText(page, '{"From_Account": "alice", "');
  await page.keyboard.press("Control+Space");
  await page.waitForSelector(".cm-tooltip-autocomplete", { timeout: 5000 });
  const members = await options();
  assert.ok(members.includes("AddFriendItem") && members.includes("AddType"), members.join());
  assert.ok(!members.includes("From_Account"));
  await page.keyboard.press("Escape");

  await setEditorText(page, '{"From_Account": "alice", "AddType": "');
  await page.keyboard.press("Control+Space");
  await page.waitForSelector(".cm-tooltip-autocomplete", { timeout: 5000 });
  assert.deepEqual((await options()).sort(), ["Add_Type_Both", "Add_Type_Single"]);
  // Choose it as a click does (the list takes no key for its first 75 ms, a time a test cannot wait on).
  await page.dispatchEvent('.cm-tooltip-autocomplete li:has-text("Add_Type_Both")', "mousedown");
  await page.waitForFunction(() => document.getElementById("body").innerText.includes("Add_Type_Both"));
  assert.equal(await editorText(page), '{"From_Account": "alice", "AddType": "Add_Type_Both');
});

test("format pretty-prints the body; text that is not JSON is marked where it stops", async () => {
  await page.selectOption("#cmd", "friend_get");
  await setEditorText(page, '{"From_Account":"alice","StartIndex":0}');
  await page.click("#format");
  assert.equal(await editorText(page), '{\n  "From_Account": "alice",\n  "StartIndex": 0\n}');
  await setEditorText(page, '{"From_Account": "alice",, }');
  await page.waitForSelector(".cm-lintRange-error", { timeout: 5000 });
  assert.match(await page.textContent("#body-state"), /1 problem/);
  assert.deepEqual(problems, []);
});
