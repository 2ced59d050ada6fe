// The package in a bundler: Vite builds tests/vite/ from the installed node_modules/tim-sns,
// then the bundle runs in headless Chromium from a plain static server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { serve } from "../../scripts/static-server.mjs";
import { launch, watchedPage } from "./chromium.mjs";

const root = fileURLToPath(new URL("../vite/", import.meta.url));
const outDir = fileURLToPath(new URL("../../target/vite-dist/", import.meta.url));
let server, browser;

/** Every file below `dir`, as paths relative to it. */
function walk(dir, prefix = "") {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(dir, join(prefix, e.name)) : [join(prefix, e.name)]);
}

before(async () => {
  await build({
    root,
    configFile: false,
    logLevel: "warn",
    build: { outDir, emptyOutDir: true },
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("Vite emits the .wasm as a hashed asset and bundles no Node built-ins", () => {
  const files = walk(outDir);
  const wasm = files.filter((f) => f.endsWith(".wasm"));
  assert.equal(wasm.length, 1, `one .wasm asset, got: ${files.join(", ")}`);
  assert.match(wasm[0], /^assets\/tim_sns_bg-[\w-]{6,}\.wasm$/);
  const wasmBytes = readFileSync(join(outDir, wasm[0]));
  assert.deepEqual([...wasmBytes.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d], "the asset is a wasm module");

  const js = files.filter((f) => f.endsWith(".js"));
  assert.ok(js.length > 0, "the build has JavaScript");
  for (const f of js) {
    const text = readFileSync(join(outDir, f), "utf8");
    assert.ok(!text.includes("node:fs"), `${f} pulls node:fs`);
    assert.ok(!/\breadFileSync\b/.test(text), `${f} carries the Node entry`);
  }
  assert.ok(js.some((f) => readFileSync(join(outDir, f), "utf8").includes(wasm[0].split("/").pop())),
    "the bundle refers to the hashed .wasm");
});

test("the bundle runs in Chromium: the sig decodes to the inputs and verifies", async () => {
  server = await serve(outDir);
  browser = await launch();
  const problems = [];
  const page = await watchedPage(browser, problems);
  const wasmResponses = [];
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
    if (r.url().endsWith(".wasm")) wasmResponses.push({ status: r.status(), type: r.headers()["content-type"] });
  });
  await page.goto(server.url);
  await page.waitForFunction(() => document.getElementById("result").textContent !== "pending", null, { timeout: 15000 });
  const result = JSON.parse(await page.textContent("#result"));
  assert.equal(result.error, undefined);
  assert.match(result.sig, /^eA[A-Za-z0-9*_-]{60,}$/);
  assert.deepEqual(result.decoded, {
    version: "2.0",
    identifier: "administrator",
    sdkAppId: 1400000000,
    time: 1700000000,
    expire: 3600,
    expiresAt: 1700003600,
    hasUserBuf: false,
  });
  assert.deepEqual(result.verified, { valid: true, reason: null });
  assert.deepEqual(result.wrongKey, { valid: false, reason: "bad-signature", errorCode: 70009 });
  assert.deepEqual(wasmResponses, [{ status: 200, type: "application/wasm" }]);
  assert.deepEqual(problems, []);
});
