// `tim-sns page` forwards the page's calls through its own origin: a server that answers like the
// service but sends no CORS headers (the in-process emulator behind plain node:http) is reached in
// region mode and in custom mode with no cross-origin request from the browser, and the command's
// log redacts the usersig. The same page served by a plain static server cannot reach that server
// and says why (CORS), with the command to run.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { Emulator } from "tim-sns/emulator";
import { serve } from "../../scripts/static-server.mjs";
import { launch, watchedPage, setEditorText } from "./chromium.mjs";

const BIN = fileURLToPath(new URL("../../node_modules/.bin/tim-sns", import.meta.url));
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const SDKAPPID = 1400000000;
const KEY = "forward-test-key-0123456789abcdef";

let upstream, upstreamUrl, child, pageUrl, browser;
const received = []; // { method, url, origin } of every request the upstream got
let log = "";
const logWaiters = [];

function startUpstream() {
  const emu = new Emulator({ sdkAppId: SDKAPPID, secretKey: KEY, admin: "administrator" });
  emu.importAccounts(["alice", "bob"]);
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", async () => {
      received.push({ method: req.method, url: req.url, origin: req.headers.origin });
      if (req.method !== "POST" || !req.url.startsWith("/v4/")) return res.writeHead(404).end("not found");
      const reply = await emu.handle(req.url, body);
      // As the service may: no Access-Control-* header at all.
      res.writeHead(reply.status, { "content-type": "application/json" }).end(reply.body);
    });
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

/** Resolves when the command's log has a line matching `re`. */
function logLine(re) {
  const found = log.split("\n").find((l) => re.test(l));
  if (found) return Promise.resolve(found);
  return new Promise((ok) => logWaiters.push({ re, ok }));
}

before(async () => {
  upstream = await startUpstream();
  upstreamUrl = `http://127.0.0.1:${upstream.address().port}`;
  child = spawn(BIN, ["page", "--port", "0", "--upstream", upstreamUrl], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk) => {
    log += chunk;
    for (const w of logWaiters.splice(0)) {
      const line = log.split("\n").find((l) => w.re.test(l));
      if (line) w.ok(line);
      else logWaiters.push(w);
    }
  });
  pageUrl = (await logLine(/debugging page: http/)).match(/(http:\/\/127\.0\.0\.1:\d+\/)/)[1];
  browser = await launch();
});

after(async () => {
  await browser?.close();
  child?.kill();
  await new Promise((ok) => upstream?.close(ok));
});

/** Opens the page at `url`, goes online with the key, and returns the page and its requests. */
async function onlinePage(url) {
  const problems = [];
  const page = await watchedPage(browser, problems);
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(url);
  await page.waitForSelector("body[data-debugger-ready=true]", { timeout: 15000 });
  await page.uncheck("#cfg-offline");
  await page.fill("#cfg-sdkappid", String(SDKAPPID));
  await page.fill("#cfg-identifier", "administrator");
  await page.fill("#cfg-key", KEY);
  await page.selectOption("#cmd", "friend_get");
  await setEditorText(page, JSON.stringify({ From_Account: "alice", StartIndex: 0 }));
  return { page, requests, problems };
}

async function send(page) {
  const before = await page.$$eval("#history li", (lis) => lis.length);
  await page.click("#send");
  await page.waitForFunction((n) => document.querySelectorAll("#history li").length > n, before, { timeout: 15000 });
  return page.getAttribute("#res-body", "data-state");
}

test("served by tim-sns page --upstream, region and custom calls reach the upstream through the page's origin", async () => {
  const { page, requests, problems } = await onlinePage(pageUrl);
  const origin = new URL(pageUrl).origin;
  assert.match(await page.textContent("#cfg-route"), /through this page's server/);

  // Region mode: the browser calls its own origin; the upstream gets the service's URL layout.
  await page.selectOption("#cfg-server", "singapore");
  const before = received.length;
  assert.equal(await send(page), "ok", await page.textContent("#res-summary"));
  const got = received.slice(before);
  assert.equal(got.length, 1);
  assert.equal(got[0].method, "POST");
  assert.match(got[0].url, /^\/v4\/sns\/friend_get\?sdkappid=1400000000&identifier=administrator&usersig=[^&]+&random=\d+&contenttype=json$/);
  assert.equal(JSON.parse(await page.textContent("#response")).ErrorCode, 0);
  assert.match(await page.textContent("#sent-url"), new RegExp(`^${origin}/_forward/region/singapore/v4/sns/friend_get\\?.*usersig=REDACTED`));

  // Custom mode with the upstream's URL: forwarded too.
  await page.selectOption("#cfg-server", "custom");
  await page.fill("#cfg-baseurl", upstreamUrl);
  assert.equal(await send(page), "ok", await page.textContent("#res-summary"));
  assert.equal(received.length, before + 2);
  assert.match(await page.textContent("#history li:first-child"), /via this page's server/);

  // The browser never left its origin.
  assert.deepEqual(requests.filter((u) => !u.startsWith(origin)), []);
  assert.deepEqual(problems, []);

  // The command logged both calls, usersig redacted; the sig itself is in no line.
  const sig = new URL(got[0].url, upstreamUrl).searchParams.get("usersig");
  const line = await logLine(/POST .*friend_get.* -> 200 ErrorCode 0/);
  assert.match(line, /usersig=REDACTED/);
  assert.ok(!log.includes(sig), "the usersig is not logged");
  await page.close();
});

test("the forwarder serves its own page only, and no route reaches a URL from the request", async () => {
  const post = (path, headers = {}) => fetch(new URL(path, pageUrl), { method: "POST", headers, body: "{}" });
  assert.equal((await post("/_forward/region/singapore/v4/sns/friend_get", { origin: "https://evil.example" })).status, 403);
  assert.equal((await post("/_forward/region/mars/v4/sns/friend_get")).status, 404);
  assert.equal((await post("/_forward/http://evil.example/v4/sns/friend_get")).status, 404);
  assert.equal((await fetch(new URL("/_forward/upstream/v4/sns/friend_get", pageUrl))).status, 405);
  const info = await (await fetch(new URL("/forwarding.json", pageUrl))).json();
  assert.deepEqual(info, { forwarding: true, upstream: upstreamUrl });
});

test("served by a plain static server, a call the upstream refuses for CORS shows the hint with the command", async () => {
  const statics = await serve(repoRoot);
  try {
    const { page, problems } = await onlinePage(new URL("www/index.html", statics.url).href);
    assert.match(await page.textContent("#cfg-route"), /straight from this tab/);
    await page.selectOption("#cfg-server", "custom");
    await page.fill("#cfg-baseurl", upstreamUrl);
    const before = received.length;
    assert.equal(await send(page), "error");
    await page.waitForSelector("#no-reply-hint[data-cors]", { timeout: 10000 });
    assert.equal(await page.getAttribute("#no-reply-hint", "data-cors"), "true");
    assert.equal(await page.textContent("#no-reply-hint"),
      `${upstreamUrl} answered, but the browser refused its reply to this page: the server does not allow this page's origin (CORS). Run \`npx tim-sns page --upstream ${upstreamUrl}\` and open the page it prints: it sends the calls through its own origin.`);
    // Only the preflight (or the refused call) and the probe reached it; none was answered with data.
    assert.ok(received.slice(before).every((r) => r.origin === new URL(statics.url).origin || r.method === "GET"));
    await page.close();
    // The browser reports the blocked call on the console: that is the point of this test.
    assert.ok(problems.every((p) => /CORS|Failed to load|ERR_FAILED|blocked/i.test(p)), problems.join("\n"));
  } finally {
    await statics.close();
  }
});
