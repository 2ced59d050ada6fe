// The paste box: a failing request as the user has it (a curl command, a URL and its body, a log
// line, with the reply if they have it) read by the package's `inspectPaste` (src/paste/ in the
// crate decides everything: endpoint, query, the usersig's problems and codes, the body's
// violations), shown, and loaded into the request editor and the configuration.
//
// Secrets: the pasted usersig is read once, from the box, by `inspectPaste`, which returns its
// decoded fields only; the box then shows the paste with the sig replaced by REDACTED. The secret
// key, when entered, is passed to check the signature and is never shown.
import { inspectPaste } from "tim-sns/emulator";
import { explainError, isApiError, parseResponse } from "tim-sns";
import { $, el } from "./dom.js";
import { renderItems, showList } from "./result.js";

const iso = (unix) => {
  const d = new Date(unix * 1000);
  return Number.isNaN(d.getTime()) ? `Unix ${unix}` : `${d.toISOString().replace(".000Z", "Z")} (Unix ${unix})`;
};

function showSig(sig, keyGiven) {
  const d = sig.decoded;
  const rows = d
    ? [["Identifier", d.identifier], ["SDKAppID", String(d.sdkAppId)], ["Issued", iso(d.time)], ["Valid for", `${d.expire} s`], ["Expires at", iso(d.expiresAt)]]
    : [];
  $("paste-sig").tBodies[0].replaceChildren(...rows.map(([k, v]) => el("tr", {}, el("th", { scope: "row" }, k), el("td", {}, v))));
  $("paste-sig").hidden = rows.length === 0;
  const list = $("paste-sig-problems");
  list.replaceChildren(...sig.problems.map((p) => el("li", { dataset: { reason: p.reason, ...(p.errorCode ? { code: String(p.errorCode) } : {}) } },
    p.errorCode ? el("strong", {}, String(p.errorCode)) : "", p.errorCode ? " " : "", el("span", { className: "rule" }, `[${p.reason}]`), `: ${p.message}`)));
  list.hidden = sig.problems.length === 0;
  $("paste-sig-state").textContent = sig.problems.length === 0
    ? `Accepted as far as checked${sig.verified ? ", signature included" : ""}.`
    : `The server refuses it with ${sig.serverCode ?? "an error"} (the first problem it checks).`;
  $("paste-sig-state").dataset.code = String(sig.serverCode ?? 0);
  $("paste-sig-verified").textContent = sig.verified === true ? "The signature matches the secret key in Configuration."
    : sig.verified === false ? "The signature does not match the secret key in Configuration (70009)."
      : d ? (keyGiven ? "" : "Signature not checked: enter the secret key in Configuration to check it.") : "";
}

function showReply(command, reply) {
  const box = $("paste-reply-error");
  box.replaceChildren();
  box.hidden = true;
  renderItems(null, $("paste-items"));
  $("paste-reply").hidden = !reply;
  if (!reply || !command) return;
  try {
    renderItems(parseResponse(command, reply), $("paste-items"));
  } catch (error) {
    box.hidden = false;
    if (isApiError(error)) {
      const e = explainError(error.errorCode);
      box.dataset.code = String(error.errorCode);
      box.append(el("p", { className: "verdict" }, `The request failed: ${error.errorCode} ${error.codeName}`), el("p", { className: "detail" }, e.meaning), el("p", { className: "detail" }, `Hint: ${error.hint || e.hint}`));
    } else {
      box.append(el("p", { className: "verdict" }, `The reply could not be read: ${error?.message ?? error}`));
    }
  }
}

/**
 * Wires the paste box.
 * @param {{ secretKey: () => string, load: (command: string, bodyText: string) => void,
 *   configure: (found: { sdkAppId?: string, identifier?: string, origin?: string }) => void }} page
 */
export function initPaste(page) {
  $("paste-load").addEventListener("click", () => {
    const key = page.secretKey();
    const found = inspectPaste($("paste-text").value, key ? { secretKey: key } : undefined);
    // From here on the box holds the paste without its usersig.
    $("paste-text").value = found.redacted;
    $("paste-result").hidden = false;
    const where = [(found.endpoint ? `v4/${found.endpoint}` : "no endpoint") + (found.origin ? ` at ${found.origin}` : ""),
      found.sdkAppId ? `SDKAppID ${found.sdkAppId}` : "", found.identifier ? `identifier ${found.identifier}` : "", found.random ? `random ${found.random}` : ""];
    $("paste-summary").textContent = where.filter(Boolean).join(" · ");
    showList($("paste-problems"), found.problems);
    showSig(found.sig, Boolean(key));
    showList($("paste-violations"), found.violations);
    $("paste-body-state").textContent = !found.command ? "" : found.violations.length === 0 ? "The body breaks no documented rule."
      : `${found.violations.length} problem${found.violations.length === 1 ? "" : "s"} in the body (also marked in the editor):`;
    showReply(found.command, found.reply);
    if (found.command) page.load(found.command, found.body ?? "");
    page.configure(found);
    $("paste-status").textContent = found.command ? `Loaded ${found.command} into the request editor.` : "";
  });
  addEventListener("pagehide", () => { $("paste-text").value = ""; });
  $("paste-load").disabled = false;
}
