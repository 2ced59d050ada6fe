// `tim-sns page`: the debugging page as it ships in the npm package, served by the package's
// command from node_modules (not from the repository), works offline in Chromium.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { launch, watchedPage } from "./chromium.mjs";

const BIN = fileURLToPath(new URL("../../node_modules/.bin/tim-sns", import.meta.url));
let child, url, browser, page;
const problems = [];

before(async () => {
  child = spawn(BIN, ["page", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  url = await new Promise((ok, fail) => {
    let out = "";
    const timer = setTimeout(() => fail(new Error(`tim-sns page did not start: ${out}`)), 10000);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
    child.stderr.on("data", (chunk) => { out += chunk; });
    child.on("exit", (code) => fail(new Error(`tim-sns page exited with ${code}: ${out}`)));
  });
  browser = await launch();
  page = await watchedPage(browser, problems);
});

after(async () => {
  await browser?.close();
  child?.kill();
});

test("the page, the browser build and its declarations are served with the right types, and nothing outside", async () => {
  const get = async (path) => {
    const r = await fetch(new URL(path, url));
    return { status: r.status, type: r.headers.get("content-type"), text: await r.text() };
  };
  const index = await get("/");
  assert.equal(index.status, 200);
  assert.match(index.text, /"tim-sns": "\.\.\/pkg\/web\.js"/);
  assert.equal((await get("/pkg/web.js")).type, "text/javascript; charset=utf-8");
  assert.equal((await get("/pkg/tim_sns_bg.wasm")).type, "application/wasm");
  assert.equal((await get("/pkg/emulator/web.js")).status, 200);
  assert.match((await get("/pkg/web.d.ts")).text, /export interface FriendAddRequest/);
  for (const path of ["/pkg/%2e%2e/%2e%2e/package.json", "/%2e%2e/package.json", "/pkg/../../package.json"]) {
    const raw = await new Promise((ok) => {
      // fetch() normalises `..`; send the raw target as a client might.
      import("node:http").then(({ request }) => request(new URL(url), { path, method: "GET" }, (res) => { res.resume(); ok(res.statusCode); }).end());
    });
    assert.ok(raw === 403 || raw === 404, `${path}: ${raw}`);
  }
});

test("in Chromium the packaged page starts offline, shows the types and sends a call", async () => {
  await page.goto(url);
  await page.waitForSelector("body[data-debugger-ready=true]", { timeout: 15000 });
  await page.waitForSelector("[data-testid=status].ready", { timeout: 15000 });
  assert.equal(await page.textContent("#cmd-request-type-name"), "FriendAddRequest");
  await page.click("#send");
  await page.waitForSelector("#history li", { timeout: 10000 });
  assert.equal(await page.getAttribute("#res-body", "data-state"), "ok");
  assert.equal(await page.getAttribute("#items tbody tr", "data-account"), "bob");
  assert.deepEqual(problems, []);
});
