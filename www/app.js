// The UserSig panel. Secrets (the key, generated sigs) live only in form controls' values and
// local variables: never in storage, attributes, the URL or the console.
import init, { genUserSig, decodeUserSig, verifyUserSig, isValidationError, isUserSigError } from "tim-sns";

const $ = (id) => document.getElementById(id);

/** Reads a numeric field: a number when it looks like one, else the raw text so the validator names it. */
function numberOrText(id) {
  const text = $(id).value.trim();
  if (text === "") return undefined;
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

function showViolations(list, error) {
  list.replaceChildren();
  if (!error) return;
  const items = isValidationError(error) ? error.violations : [{ path: "", message: error.message }];
  for (const v of items) {
    const li = document.createElement("li");
    li.textContent = v.message;
    li.dataset.path = v.path;
    list.append(li);
  }
}

function duration(seconds) {
  const s = Math.abs(seconds);
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  return m > 0 ? `${m} min ${s % 60} s` : `${s} s`;
}
const when = (unix) => `${new Date(unix * 1000).toISOString().replace(".000Z", "Z")} (${unix})`;

// Generate
$("gen-form").addEventListener("submit", (event) => {
  event.preventDefault();
  $("gen-output").value = "";
  $("gen-copy").disabled = $("gen-use").disabled = true;
  try {
    const sig = genUserSig({
      sdkAppId: numberOrText("gen-sdkappid"),
      identifier: $("gen-identifier").value,
      secretKey: $("gen-key").value,
      expireSeconds: numberOrText("gen-expire"),
    });
    showViolations($("gen-errors"), null);
    $("gen-output").value = sig;
    $("gen-copy").disabled = $("gen-use").disabled = false;
  } catch (error) {
    showViolations($("gen-errors"), error);
  }
});
$("gen-copy").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText($("gen-output").value);
    $("gen-copy").textContent = "Copied";
  } catch {
    $("gen-output").select(); // clipboard blocked: let the user copy by keyboard
  }
  setTimeout(() => ($("gen-copy").textContent = "Copy"), 1500);
});
$("gen-use").addEventListener("click", () => {
  const sig = $("gen-output").value;
  $("dec-sig").value = $("ver-sig").value = sig;
  $("ver-sdkappid").value = $("gen-sdkappid").value;
  $("ver-identifier").value = $("gen-identifier").value;
  $("dec-form").requestSubmit();
  $("ver-sig").focus();
});

// Decode
$("dec-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const table = $("dec-table");
  $("dec-error").textContent = "";
  try {
    const d = decodeUserSig($("dec-sig").value);
    const left = d.expiresAt - Math.floor(Date.now() / 1000);
    const cells = {
      identifier: d.identifier,
      sdkAppId: String(d.sdkAppId),
      version: d.version || "(none)",
      issued: when(d.time),
      expire: `${d.expire} s (${duration(d.expire)})`,
      expires: when(d.expiresAt),
      left: left >= 0 ? duration(left) : `expired ${duration(left)} ago`,
      userbuf: d.hasUserBuf ? "present" : "none",
    };
    for (const td of table.querySelectorAll("td[data-field]")) td.textContent = cells[td.dataset.field];
    table.hidden = false;
  } catch (error) {
    table.hidden = true;
    $("dec-error").textContent = isUserSigError(error)
      ? `${error.message} (server error ${error.errorCode})`
      : isValidationError(error) ? error.violations.map((v) => v.message).join("; ") : String(error.message);
  }
});

// Verify
$("ver-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const out = $("ver-result");
  out.replaceChildren();
  try {
    const identifier = $("ver-identifier").value;
    const r = verifyUserSig($("ver-sig").value, {
      sdkAppId: numberOrText("ver-sdkappid"),
      secretKey: $("ver-key").value,
      identifier: identifier === "" ? undefined : identifier,
    });
    showViolations($("ver-errors"), null);
    const verdict = document.createElement("p");
    verdict.className = `verdict ${r.valid ? "ok" : "bad"}`;
    verdict.id = "ver-verdict";
    verdict.textContent = r.valid ? "Valid" : `Refused: ${r.reason} (server error ${r.errorCode})`;
    out.append(verdict);
    const detail = document.createElement("p");
    detail.id = "ver-detail";
    detail.textContent = r.valid
      ? `Issued for ${r.decoded.identifier} of SDKAppID ${r.decoded.sdkAppId}, valid until ${when(r.decoded.expiresAt)}.`
      : r.message;
    out.append(detail);
  } catch (error) {
    showViolations($("ver-errors"), error);
  }
});

try {
  await init();
  $("status").textContent = "Ready. Everything runs locally in WebAssembly.";
  document.body.dataset.ready = "true";
} catch (error) {
  $("status").textContent = `Could not load the WebAssembly module: ${error.message}`;
}
