// Headless Debian Chromium for the browser tests (a test tool's own browser download cannot
// work here). The flags keep Chromium off the network except for the pages we serve.
import { chromium } from "playwright-core";
import { fileURLToPath } from "node:url";
import { serve } from "../../scripts/static-server.mjs";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

/** A new page that records page errors and console errors into `problems`. */
export async function watchedPage(browser, problems) {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  return page;
}

/**
 * Where in `page` any of `secrets` shows: storage, cookies, the URL, the markup, the rendered
 * text, and the value of every input and textarea but the password fields named in `allowed`
 * (which hold the key in memory, as designed). Returns the names of those places.
 */
export function secretPlaces(page, secrets, allowed = ["cfg-key", "cfg-usersig"]) {
  return page.evaluate(([secrets, allowed]) => {
    const dump = (s) => Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i))}`).join("\n");
    const places = {
      localStorage: dump(localStorage), sessionStorage: dump(sessionStorage), cookie: document.cookie,
      url: location.href, outerHTML: document.documentElement.outerHTML, text: document.body.innerText,
      values: Array.from(document.querySelectorAll("input, textarea")).filter((e) => !allowed.includes(e.id)).map((e) => e.value).join("\n"),
    };
    return Object.entries(places).filter(([, text]) => secrets.some((s) => text.includes(s))).map(([where]) => where);
  }, [secrets, allowed]);
}

/** The text in the page's body editor (CodeMirror renders each line as a block of its own). */
export const editorText = (page) => page.innerText("#body");

/**
 * Replaces the text of the page's body editor as a user's paste does (the editor reads the
 * clipboard's text; typing into it would turn runs of spaces into no-break spaces).
 */
export async function setEditorText(page, text) {
  await page.focus("#body");
  await page.keyboard.press("Control+A");
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    document.getElementById("body").dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/**
 * The debugging page of the repository (`www/`), served as static files and opened in a new
 * watched page, once it says it is ready. `close()` ends the browser and the server.
 */
export async function openDebugger(problems) {
  const server = await serve(fileURLToPath(new URL("../../", import.meta.url)));
  const browser = await launch();
  const page = await watchedPage(browser, problems);
  await page.goto(new URL("www/index.html", server.url).href);
  await page.waitForSelector("body[data-debugger-ready=true]", { timeout: 15000 });
  return { server, browser, page, close: async () => { await browser.close(); await server.close(); } };
}
