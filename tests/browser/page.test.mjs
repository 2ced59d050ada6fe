// The www/ debugging page in headless Chromium, served statically from the repository root
// with the package's browser build imported through an import map (no bundler).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { serve } from "../../scripts/serve.mjs";
import { launch, watchedPage } from "./chromium.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const KEY = "c0ffee0123456789abcdef0123456789abcdef0123456789abcdef0123456789";
let server, browser, page;
const problems = [];

before(async () => {
  server = await serve(root);
  browser = await launch();
  page = await watchedPage(browser, problems);
  await page.goto(`${server.url}/www/`);
  await page.waitForSelector("body[data-ready=true]");
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("generate, decode and verify a UserSig", async () => {
  await page.fill("#gen-key", KEY);
  await page.fill("#gen-identifier", "administrator");
  await page.click("#gen-submit");
  const sig = await page.inputValue("#gen-output");
  assert.match(sig, /^eJ[A-Za-z0-9*_-]{60,}$/);
  await page.click("#gen-use");
  await page.waitForSelector("#dec-table:not([hidden])");
  const cell = (f) => page.textContent(`#dec-table td[data-field=${f}]`);
  assert.equal(await cell("identifier"), "administrator");
  assert.equal(await cell("sdkAppId"), "1400000000");
  assert.equal(await cell("version"), "2.0");
  assert.match(await cell("expire"), /^15552000 s \(180 d 0 h\)$/);
  assert.match(await cell("left"), /^(179 d 23 h|180 d 0 h)$/);

  await page.fill("#ver-key", KEY);
  await page.click("#ver-submit");
  assert.equal(await page.textContent("#ver-verdict"), "Valid");
  await page.fill("#ver-key", KEY.replace("c0ffee", "decade"));
  await page.click("#ver-submit");
  assert.equal(await page.textContent("#ver-verdict"), "Refused: bad-signature (server error 70009)");
  await page.fill("#ver-identifier", "someone-else");
  await page.fill("#ver-key", KEY);
  await page.click("#ver-submit");
  assert.equal(await page.textContent("#ver-verdict"), "Refused: identifier-mismatch (server error 70013)");
});

test("a malformed sig is explained with 70003", async () => {
  await page.fill("#dec-sig", "garbage");
  await page.click("#dec-submit");
  assert.match(await page.textContent("#dec-error"), /usersig is malformed: .*\(server error 70003\)/);
  assert.equal(await page.isHidden("#dec-table"), true);
});

test("invalid input lists every violation by path", async () => {
  await page.fill("#gen-identifier", "");
  await page.fill("#gen-expire", "-5");
  await page.fill("#gen-sdkappid", "abc");
  await page.click("#gen-submit");
  const paths = await page.$$eval("#gen-errors li", (lis) => lis.map((li) => li.dataset.path));
  assert.deepEqual(paths, ["sdkAppId", "identifier", "expireSeconds"]);
  assert.equal(await page.inputValue("#gen-output"), "");
  await page.fill("#gen-sdkappid", "1400000000");
  await page.fill("#gen-identifier", "administrator");
  await page.fill("#gen-expire", "15552000");
});

test("the key and the sig never reach storage, the URL or the markup", async () => {
  await page.fill("#gen-key", KEY);
  await page.click("#gen-submit");
  const sig = await page.inputValue("#gen-output");
  const leaks = await page.evaluate(([key, sig]) => {
    const stores = [localStorage, sessionStorage].map((s) => Array.from({ length: s.length }, (_, i) => s.getItem(s.key(i))).join("\n"));
    const html = document.documentElement.outerHTML;
    return {
      storage: stores.some((t) => t.includes(key) || t.includes(sig)),
      cookie: document.cookie.includes(key) || document.cookie.includes(sig),
      url: location.href.includes(key) || location.href.includes(sig),
      markup: html.includes(key) || html.includes(sig),
    };
  }, [KEY, sig]);
  assert.deepEqual(leaks, { storage: false, cookie: false, url: false, markup: false });
  mkdirSync(new URL("../../target/screenshots/", import.meta.url), { recursive: true });
  await page.screenshot({ path: fileURLToPath(new URL("../../target/screenshots/usersig-panel.png", import.meta.url)), fullPage: true });
});

test("no page or console errors", () => {
  assert.deepEqual(problems, []);
});
