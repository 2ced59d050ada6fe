// The package in a bundler: Vite builds tests/vite/, then the bundle runs in headless Chromium.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { serve } from "../../scripts/serve.mjs";
import { launch, watchedPage } from "./chromium.mjs";

const root = fileURLToPath(new URL("../vite/", import.meta.url));
const outDir = fileURLToPath(new URL("../../target/vite-dist/", import.meta.url));
let server, browser;

before(async () => {
  await build({ root, logLevel: "warn", build: { outDir, emptyOutDir: true } });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("Vite emits the .wasm as a hashed asset and no Node built-ins", () => {
  const assets = readdirSync(`${outDir}/assets`);
  assert.ok(assets.some((f) => /^tim_sns_bg-[\w-]+\.wasm$/.test(f)), assets.join(", "));
  for (const js of assets.filter((f) => f.endsWith(".js"))) {
    assert.ok(!readFileSync(`${outDir}/assets/${js}`, "utf8").includes("node:fs"), `${js} pulls node:fs`);
  }
});

test("the bundle runs in Chromium", async () => {
  server = await serve(outDir);
  browser = await launch();
  const problems = [];
  const page = await watchedPage(browser, problems);
  await page.goto(`${server.url}/`);
  await page.waitForFunction(() => document.getElementById("result").textContent !== "pending");
  const result = JSON.parse(await page.textContent("#result"));
  assert.deepEqual(result, {
    decoded: { version: "2.0", identifier: "administrator", sdkAppId: 1400000000, time: 1700000000, expire: 3600, expiresAt: 1700003600, hasUserBuf: false },
    valid: true,
  });
  assert.deepEqual(problems, []);
});
