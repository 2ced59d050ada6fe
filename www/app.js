// The UserSig panel of the tim-sns debugging tool. Plain ES module, no framework.
//
// Secrets: the secret key only ever lives in the password fields' `value` (a property, never an
// attribute) and in local variables while a call runs. Neither the key nor a sig is written to
// storage, cookies, the URL, an attribute or the console.
import init, { genUserSig, decodeUserSig, verifyUserSig, isValidationError, isUserSigError } from "tim-sns";
import { $ } from "./dom.js";

// ---------------------------------------------------------------------------------------------
// Formatting

const plural = (n, unit) => `${n} ${unit}${n === 1 ? "" : "s"}`;

/** "179 days 23 hours", "5 minutes 3 seconds": the largest unit and the next one when not zero. */
function duration(seconds) {
  let s = Math.abs(Math.trunc(seconds));
  const parts = [];
  for (const [unit, size] of [["day", 86400], ["hour", 3600], ["minute", 60], ["second", 1]]) {
    parts.push([Math.floor(s / size), unit]);
    s %= size;
  }
  const first = parts.findIndex(([n]) => n > 0);
  if (first < 0) return "0 seconds";
  const shown = [parts[first]];
  if (first + 1 < parts.length && parts[first + 1][0] > 0) shown.push(parts[first + 1]);
  return shown.map(([n, unit]) => plural(n, unit)).join(" ");
}

/** A Unix time as "2026-11-23T01:14:27Z · Unix 1795396467" (text), ISO first, the number muted. */
function instant(unix) {
  const date = new Date(unix * 1000);
  const iso = document.createElement("span");
  iso.className = "iso";
  iso.textContent = Number.isNaN(date.getTime()) ? "out of range" : date.toISOString().replace(".000Z", "Z");
  const raw = document.createElement("span");
  raw.className = "unix";
  raw.textContent = ` · Unix ${unix}`;
  return [iso, raw];
}

const nowUnix = () => Math.floor(Date.now() / 1000);

/**
 * A numeric field as the validator should see it: a number when the text is one, the raw text
 * otherwise (so the violation names the field and says what it got), nothing when empty.
 */
function numeric(id) {
  const text = $(id).value.trim();
  if (text === "") return undefined;
  return /^[+-]?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

// ---------------------------------------------------------------------------------------------
// Violations

/**
 * Shows a ValidationError's violations as "path: message" under a form and marks the fields.
 * Any other error is shown too (never rethrown): the page must not end in an uncaught exception.
 */
function showViolations(list, fields, error) {
  list.replaceChildren();
  for (const input of Object.values(fields)) $(input).removeAttribute("aria-invalid");
  list.hidden = !error;
  if (!error) return;
  const violations = isValidationError(error)
    ? error.violations
    : [{ path: "error", rule: "unexpected", message: String(error?.message ?? error) }];
  for (const v of violations) {
    const li = document.createElement("li");
    li.dataset.path = v.path;
    li.dataset.rule = v.rule;
    const path = document.createElement("code");
    path.textContent = v.path;
    li.append(path, `: ${v.message}`);
    list.append(li);
    const input = fields[v.path];
    if (input) $(input).setAttribute("aria-invalid", "true");
  }
}

// ---------------------------------------------------------------------------------------------
// Generate

const GEN_FIELDS = { sdkAppId: "gen-sdkappid", identifier: "gen-identifier", secretKey: "gen-key", expireSeconds: "gen-expire" };

function updateExpireHint() {
  const v = numeric("gen-expire");
  $("gen-expire-hint").textContent = Number.isSafeInteger(v) && v > 0 ? duration(v) : "";
}
$("gen-expire").addEventListener("input", updateExpireHint);

function setSigActions(enabled) {
  $("gen-copy").disabled = $("gen-use").disabled = !enabled;
  $("gen-copy-status").textContent = "";
}

$("gen-form").addEventListener("submit", (event) => {
  event.preventDefault();
  $("gen-output").value = "";
  setSigActions(false);
  try {
    const sig = genUserSig({
      sdkAppId: numeric("gen-sdkappid"),
      identifier: $("gen-identifier").value,
      secretKey: $("gen-key").value,
      expireSeconds: numeric("gen-expire"),
    });
    showViolations($("gen-errors"), GEN_FIELDS, null);
    $("gen-output").value = sig;
    setSigActions(true);
  } catch (error) {
    showViolations($("gen-errors"), GEN_FIELDS, error);
  }
});

$("gen-copy").addEventListener("click", async () => {
  const output = $("gen-output");
  const status = $("gen-copy-status");
  try {
    await navigator.clipboard.writeText(output.value);
    status.textContent = "Copied.";
  } catch {
    // Clipboard API refused (permissions, focus): select the text so Ctrl+C / ⌘C copies it.
    output.focus();
    output.select();
    status.textContent = "Selected: press Ctrl+C (⌘C) to copy.";
  }
});

$("gen-use").addEventListener("click", () => {
  const sig = $("gen-output").value;
  $("dec-sig").value = sig;
  $("ver-sig").value = sig;
  $("ver-sdkappid").value = $("gen-sdkappid").value;
  $("ver-identifier").value = $("gen-identifier").value;
  $("dec-form").requestSubmit();
  $("ver-key").focus();
});

// ---------------------------------------------------------------------------------------------
// Decode

let decoded = null; // what the table shows; not secret
let ticker = 0;

function renderTimeLeft() {
  const cell = document.querySelector('#dec-table td[data-field="timeLeft"]');
  if (!decoded) return;
  const left = decoded.expiresAt - nowUnix();
  cell.dataset.seconds = String(left);
  cell.classList.toggle("bad", left < 0);
  cell.textContent = left >= 0 ? duration(left) : `expired ${duration(-left)} ago`;
}

$("dec-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const table = $("dec-table");
  const errorBox = $("dec-error");
  clearInterval(ticker);
  decoded = null;
  try {
    const d = decodeUserSig($("dec-sig").value.trim());
    const cells = {
      identifier: d.identifier,
      sdkAppId: String(d.sdkAppId),
      version: d.version || "(none)",
      time: instant(d.time),
      expire: `${d.expire} s (${duration(d.expire)})`,
      expiresAt: instant(d.expiresAt),
      hasUserBuf: d.hasUserBuf ? "yes" : "no",
    };
    for (const td of table.querySelectorAll("td[data-field]")) {
      const value = cells[td.dataset.field];
      if (value !== undefined) td.replaceChildren(...[value].flat());
    }
    decoded = d;
    renderTimeLeft();
    ticker = setInterval(renderTimeLeft, 1000);
    errorBox.hidden = true;
    errorBox.textContent = "";
    delete errorBox.dataset.code;
    table.hidden = false;
  } catch (error) {
    table.hidden = true;
    errorBox.hidden = false;
    if (isUserSigError(error)) {
      errorBox.dataset.code = String(error.errorCode);
      errorBox.textContent = `${error.message} (error code ${error.errorCode})`;
    } else if (isValidationError(error)) {
      errorBox.textContent = error.violations.map((v) => `${v.path}: ${v.message}`).join("; ");
    } else {
      errorBox.textContent = String(error?.message ?? error);
    }
  }
});

// ---------------------------------------------------------------------------------------------
// Verify

const VER_FIELDS = { sig: "ver-sig", usersig: "ver-sig", sdkAppId: "ver-sdkappid", secretKey: "ver-key", identifier: "ver-identifier" };

function line(className, text) {
  const p = document.createElement("p");
  p.className = className;
  p.textContent = text;
  return p;
}

$("ver-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const out = $("ver-result");
  out.replaceChildren();
  out.hidden = true;
  for (const key of ["valid", "reason", "code"]) delete out.dataset[key];
  try {
    const identifier = $("ver-identifier").value;
    const r = verifyUserSig($("ver-sig").value.trim(), {
      sdkAppId: numeric("ver-sdkappid"),
      secretKey: $("ver-key").value,
      ...(identifier === "" ? {} : { identifier }),
    });
    showViolations($("ver-errors"), VER_FIELDS, null);
    out.dataset.valid = String(r.valid);
    out.className = `result ${r.valid ? "ok" : "bad"}`;
    if (r.valid) {
      const verdict = line("verdict", "Valid");
      verdict.id = "ver-verdict";
      out.append(verdict);
      const d = r.decoded;
      const detail = line("detail", `Issued for ${d.identifier} of SDKAppID ${d.sdkAppId}; valid until `);
      detail.append(...instant(d.expiresAt), ".");
      out.append(detail);
    } else {
      out.dataset.reason = r.reason;
      out.dataset.code = String(r.errorCode);
      const verdict = line("verdict", `Refused: ${r.reason}`);
      verdict.id = "ver-verdict";
      out.append(verdict);
      const code = line("code", `Server error code ${r.errorCode}`);
      code.id = "ver-code";
      const message = line("detail", r.message);
      message.id = "ver-message";
      out.append(code, message);
    }
    out.hidden = false;
  } catch (error) {
    showViolations($("ver-errors"), VER_FIELDS, error);
  }
});

// ---------------------------------------------------------------------------------------------
// Keys

function clearKeys() {
  $("gen-key").value = "";
  $("ver-key").value = "";
}
$("clear-keys").addEventListener("click", () => {
  clearKeys();
  $("gen-key").focus();
});
// Do not leave keys behind in a page kept in the back/forward cache or restored by the browser.
addEventListener("pagehide", clearKeys);

// ---------------------------------------------------------------------------------------------
// Start

updateExpireHint();
try {
  await init();
  for (const id of ["gen-submit", "dec-submit", "ver-submit"]) $(id).disabled = false;
  $("status").textContent = "Ready. Nothing you type leaves this tab.";
  $("status").classList.add("ready");
  document.body.dataset.ready = "true";
} catch (error) {
  $("status").textContent = `Could not load the WebAssembly module: ${error?.message ?? error}`;
  $("status").classList.add("failed");
}
