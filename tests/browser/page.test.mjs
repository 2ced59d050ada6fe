// The www/ UserSig panel in headless Chromium. The repository root is served statically, so the
// page imports the package's browser build (pkg/web.js) through its import map, with no bundler.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { serve } from "../../scripts/static-server.mjs";
import { launch, watchedPage } from "./chromium.mjs";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const screenshotDir = new URL("../../target/screenshots/", import.meta.url);

const SDKAPPID = 1400000000;
const KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const WRONG_KEY = "0000000000000000000000000000000000000000000000000000000000000000";
const HALF_YEAR = 15552000;

let server, browser, page;
const problems = []; // page errors and console errors
const consoleText = []; // every console message, to prove no secret is ever logged
const sigs = []; // every sig the page produced

before(async () => {
  server = await serve(repoRoot);
  browser = await launch();
  page = await watchedPage(browser, problems);
  page.on("console", (m) => consoleText.push(m.text()));
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });
  await page.goto(new URL("www/index.html", server.url).href);
  await page.waitForSelector("body[data-ready=true]", { timeout: 15000 });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const cell = (field) => page.textContent(`#dec-table td[data-field="${field}"]`);
const violationPaths = (list) => page.$$eval(`${list} li`, (lis) => lis.map((li) => li.dataset.path));
const violationTexts = (list) => page.$$eval(`${list} li`, (lis) => lis.map((li) => li.textContent));

function rawGet(path) {
  const { hostname, port } = new URL(server.url);
  return new Promise((ok, fail) => {
    const req = request({ hostname, port, path, method: "GET" }, (res) => {
      res.resume();
      res.on("end", () => ok({ status: res.statusCode, type: res.headers["content-type"] }));
    });
    req.on("error", fail);
    req.end();
  });
}

test("the static server sends the right MIME types and refuses paths outside the root", async () => {
  assert.equal((await rawGet("/pkg/tim_sns_bg.wasm")).type, "application/wasm");
  assert.match((await rawGet("/pkg/web.js")).type, /^text\/javascript\b/);
  assert.match((await rawGet("/www/index.html")).type, /^text\/html\b/);
  assert.equal((await rawGet("/www/nope.js")).status, 404);
  for (const escape of ["/../package.json", "/www/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/www/..%2f..%2fetc%2fpasswd"]) {
    assert.ok([400, 403].includes((await rawGet(escape)).status), `${escape} must be refused`);
  }
});

test("the page is ready, warns about secret keys and labels every control", async () => {
  assert.equal(await page.textContent("#status"), "Ready. Nothing you type leaves this tab.");
  assert.match(await page.textContent("[data-testid=secret-warning]"), /Never ship a secret key in a real web app/);
  assert.ok(await page.isVisible("[data-testid=secret-warning]"));
  const unlabelled = await page.$$eval("input, textarea", (els) =>
    els.filter((el) => !el.id || !document.querySelector(`label[for="${el.id}"]`)).map((el) => el.outerHTML));
  assert.deepEqual(unlabelled, []);
  for (const id of ["gen-key", "ver-key"]) {
    assert.equal(await page.getAttribute(`#${id}`, "type"), "password");
    assert.equal(await page.getAttribute(`#${id}`, "autocomplete"), "off");
  }
  assert.equal(await page.inputValue("#gen-identifier"), "administrator");
  assert.equal(await page.inputValue("#gen-expire"), String(HALF_YEAR));
  assert.equal(await page.textContent("#gen-expire-hint"), "180 days");
  // No control has a name, so no form submission could ever carry the key into a URL.
  assert.equal(await page.$$eval("[name]", (els) => els.filter((e) => e.tagName !== "META").length), 0);
});

test("a malformed sig is explained with error code 70003", async () => {
  await page.fill("#dec-sig", "garbage");
  await page.click("#dec-submit");
  assert.ok(await page.isVisible("#dec-error"));
  assert.equal(await page.getAttribute("#dec-error", "data-code"), "70003");
  assert.match(await page.textContent("#dec-error"), /^usersig is malformed: .+ \(error code 70003\)$/);
  assert.ok(await page.isHidden("#dec-table"));
  assert.deepEqual(problems, []);
});

test("invalid generate input lists each violation as path: message", async () => {
  await page.fill("#gen-sdkappid", String(SDKAPPID));
  await page.fill("#gen-identifier", "");
  await page.fill("#gen-key", KEY);
  await page.fill("#gen-expire", "-5");
  await page.click("#gen-submit");
  assert.deepEqual(await violationPaths("#gen-errors"), ["identifier", "expireSeconds"]);
  const texts = await violationTexts("#gen-errors");
  assert.match(texts[0], /^identifier: identifier must not be empty$/);
  assert.match(texts[1], /^expireSeconds: expireSeconds must be an integer from 1 to \d+, got -5$/);
  assert.equal(await page.getAttribute("#gen-identifier", "aria-invalid"), "true");
  assert.equal(await page.getAttribute("#gen-expire", "aria-invalid"), "true");
  assert.equal(await page.getAttribute("#gen-key", "aria-invalid"), null);
  assert.equal(await page.inputValue("#gen-output"), "");
  assert.ok(await page.isDisabled("#gen-copy"));

  // Text where a number belongs is reported, not coerced; an empty key too.
  await page.fill("#gen-sdkappid", "abc");
  await page.fill("#gen-identifier", "administrator");
  await page.fill("#gen-key", "");
  await page.fill("#gen-expire", String(HALF_YEAR));
  await page.click("#gen-submit");
  assert.deepEqual(await violationPaths("#gen-errors"), ["sdkAppId", "secretKey"]);
  assert.deepEqual(problems, []);
});

test("generate a sig (keyboard: Enter submits), then decode it", async () => {
  await page.fill("#gen-sdkappid", String(SDKAPPID));
  await page.fill("#gen-key", KEY);
  const before = Math.floor(Date.now() / 1000);
  await page.press("#gen-key", "Enter");
  await page.waitForFunction(() => document.getElementById("gen-output").value !== "");
  const after = Math.floor(Date.now() / 1000);
  assert.ok(await page.isHidden("#gen-errors"));
  const sig = await page.inputValue("#gen-output");
  sigs.push(sig);
  assert.match(sig, /^eA[A-Za-z0-9*_-]{60,}$/);
  assert.ok(await page.isEnabled("#gen-copy"));
  await page.click("#gen-copy");
  await page.waitForFunction(() => document.getElementById("gen-copy-status").textContent !== "", null, { timeout: 5000 });
  assert.match(await page.textContent("#gen-copy-status"), /^(Copied\.|Selected: press Ctrl\+C \(⌘C\) to copy\.)$/);

  await page.fill("#dec-sig", `${sig}\n`); // as pasted, with a trailing newline
  await page.click("#dec-submit");
  assert.ok(await page.isVisible("#dec-table"));
  assert.ok(await page.isHidden("#dec-error"));
  assert.equal(await cell("identifier"), "administrator");
  assert.equal(await cell("sdkAppId"), String(SDKAPPID));
  assert.equal(await cell("version"), "2.0");
  const issued = (await cell("time")).match(/^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) · Unix (\d+)$/);
  assert.ok(issued, "issue time shows ISO and Unix");
  const time = Number(issued[2]);
  assert.ok(time >= before && time <= after, `issued at ${time}, generated between ${before} and ${after}`);
  assert.equal(issued[1], new Date(time * 1000).toISOString().replace(".000Z", "Z"));
  assert.equal(await cell("expire"), `${HALF_YEAR} s (180 days)`);
  const expiresAt = time + HALF_YEAR;
  assert.equal(await cell("expiresAt"), `${new Date(expiresAt * 1000).toISOString().replace(".000Z", "Z")} · Unix ${expiresAt}`);
  const left = Number(await page.getAttribute('#dec-table td[data-field="timeLeft"]', "data-seconds"));
  assert.ok(left <= HALF_YEAR && left > HALF_YEAR - 120, `time left ${left} s is about 180 days`);
  assert.match(await cell("timeLeft"), /^(180 days|179 days 23 hours)$/);
  assert.equal(await cell("hasUserBuf"), "no");
  assert.deepEqual(problems, []);
});

test("verify: valid with the right key, bad-signature 70009 with a wrong one", async () => {
  const sig = await page.inputValue("#gen-output");
  await page.fill("#ver-sig", sig);
  await page.fill("#ver-sdkappid", String(SDKAPPID));
  await page.fill("#ver-key", KEY);
  await page.fill("#ver-identifier", "administrator");
  await page.click("#ver-submit");
  assert.ok(await page.isVisible("#ver-result"));
  assert.equal(await page.getAttribute("#ver-result", "data-valid"), "true");
  assert.equal(await page.textContent("#ver-verdict"), "Valid");
  assert.equal(await page.getAttribute("#ver-result", "data-code"), null);

  await page.fill("#ver-key", WRONG_KEY);
  await page.click("#ver-submit");
  assert.equal(await page.getAttribute("#ver-result", "data-valid"), "false");
  assert.equal(await page.getAttribute("#ver-result", "data-reason"), "bad-signature");
  assert.equal(await page.getAttribute("#ver-result", "data-code"), "70009");
  assert.equal(await page.textContent("#ver-verdict"), "Refused: bad-signature");
  assert.equal(await page.textContent("#ver-code"), "Server error code 70009");
  assert.match(await page.textContent("#ver-message"), /signature does not match/);

  // Bad arguments are violations by path, not a verdict and not an exception.
  await page.fill("#ver-sdkappid", "");
  await page.click("#ver-submit");
  assert.deepEqual(await violationPaths("#ver-errors"), ["sdkAppId"]);
  assert.ok(await page.isHidden("#ver-result"));

  // The shortcut fills decode and verify from the generated sig; the right key makes it valid.
  await page.click("#gen-use");
  assert.equal(await page.inputValue("#dec-sig"), sig);
  assert.equal(await page.inputValue("#ver-sdkappid"), String(SDKAPPID));
  assert.equal(await page.evaluate(() => document.activeElement.id), "ver-key");
  await page.keyboard.press("Control+A");
  await page.keyboard.type(KEY);
  await page.keyboard.press("Enter");
  await page.waitForSelector("#ver-result[data-valid=true]");
  assert.ok(await page.isHidden("#ver-errors"));
  assert.deepEqual(problems, []);
});

test("neither the key nor a sig reaches storage, cookies, the URL, the console or the markup", async () => {
  const secrets = [KEY, WRONG_KEY, ...sigs];
  assert.ok(sigs.length > 0, "a sig was generated");
  const leaks = await page.evaluate((secrets) => {
    const dump = (s) => Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i))}`).join("\n");
    const places = {
      localStorage: dump(localStorage),
      sessionStorage: dump(sessionStorage),
      cookie: document.cookie,
      url: location.href,
      outerHTML: document.documentElement.outerHTML,
    };
    return Object.entries(places).filter(([, text]) => secrets.some((s) => text.includes(s))).map(([where]) => where);
  }, secrets);
  assert.deepEqual(leaks, []);
  assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0);
  assert.ok(!(await page.evaluate(() => document.documentElement.outerHTML)).includes(KEY));
  assert.deepEqual(consoleText.filter((t) => secrets.some((s) => t.includes(s))), []);

  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: fileURLToPath(new URL("usersig-panel.png", screenshotDir)), fullPage: true });
});

test("the clear button empties both key fields", async () => {
  await page.click("#clear-keys");
  assert.equal(await page.inputValue("#gen-key"), "");
  assert.equal(await page.inputValue("#ver-key"), "");
});

test("no page errors, console errors or failed requests", () => {
  assert.deepEqual(problems, []);
});
