// How the page shows a call's result: the per-item table with each code explained, and an
// error (API, validation, HTTP, network) with what it means and what to do.
import { explainError, isApiError, isValidationError, isDecodeError, isHttpError } from "tim-sns";
import { $, el } from "./dom.js";

/** Lists rule violations (path, rule, message) in `list`; hides it when there are none. */
export function showList(list, violations) {
  list.replaceChildren();
  list.hidden = violations.length === 0;
  for (const v of violations) {
    list.append(el("li", { dataset: { path: v.path, rule: v.rule } }, el("code", {}, v.path), " ", el("span", { className: "rule" }, `[${v.rule}]`), `: ${v.message}`));
  }
}

function explainCell(code) {
  const e = explainError(code);
  return el("span", {}, el("strong", {}, e.name), ` — ${e.meaning}`, e.hint ? el("span", { className: "hint-line" }, `Hint: ${e.hint}`) : undefined);
}

/** "Tag_SNS_IM_AddSource=AddSource_Type_Web; …" for friend data, compact JSON otherwise. */
function dataText(item) {
  const rest = { ...item };
  for (const k of ["To_Account", "ResultCode", "ResultInfo", "outcome"]) delete rest[k];
  const parts = [];
  for (const [k, v] of Object.entries(rest)) {
    if (Array.isArray(v) && v.every((x) => x && typeof x === "object" && "Tag" in x)) {
      parts.push(v.map((x) => `${x.Tag}=${Array.isArray(x.Value) ? x.Value.join("|") : x.Value}`).join("; "));
    } else {
      parts.push(`${k}: ${typeof v === "object" ? JSON.stringify(v) : v}`);
    }
  }
  return parts.join("; ");
}

/**
 * Rows for every top-level array of objects in the reply (ResultItem, InfoItem, UserDataItem…),
 * in `table` (default: the result's) with its caption.
 */
export function renderItems(reply, table = $("items")) {
  const tbody = table.tBodies[0];
  tbody.replaceChildren();
  const names = [];
  for (const [key, value] of Object.entries(reply ?? {})) {
    if (!Array.isArray(value) || !value.some((x) => x && typeof x === "object")) continue;
    names.push(key);
    for (const item of value) {
      if (!item || typeof item !== "object") continue;
      const target = item.To_Account ?? item.GroupName ?? "";
      const hasCode = typeof item.ResultCode === "number";
      const row = el("tr", { dataset: { account: String(target), list: key } });
      if (hasCode) row.dataset.code = String(item.ResultCode);
      if (item.outcome) row.dataset.outcome = item.outcome;
      const meaning = el("td", {});
      if (hasCode && item.ResultCode !== 0) meaning.append(explainCell(item.ResultCode));
      const data = dataText(item);
      if (data) meaning.append(el("span", { className: "data-line" }, data));
      if (hasCode && item.ResultCode === 0 && !data) meaning.append("OK");
      row.append(
        el("td", {}, el("code", {}, Array.isArray(target) ? target.join(", ") : String(target))),
        el("td", { className: "num" }, hasCode ? String(item.ResultCode) : "—"),
        el("td", { className: `outcome ${item.outcome ?? ""}` }, item.outcome ?? (hasCode ? "" : "data")),
        meaning,
      );
      tbody.append(row);
    }
  }
  table.caption.textContent = names.length ? `Items: ${names.join(", ")}` : "Items";
  table.hidden = tbody.rows.length === 0;
}

/** Shows `error` explained; `configuring` is true when it came from the configuration panel. */
export function showError(error, configuring = false) {
  const box = $("api-error");
  box.replaceChildren();
  for (const k of ["code", "name", "kind"]) delete box.dataset[k];
  showList($("send-violations"), []);
  if (!error) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  box.dataset.kind = error?.name ?? "Error";
  if (isApiError(error)) {
    box.dataset.code = String(error.errorCode);
    box.dataset.name = error.codeName;
    const e = explainError(error.errorCode);
    box.append(
      el("p", { className: "verdict" }, `The request failed: ${error.errorCode} ${error.codeName}`),
      el("p", { className: "detail" }, e.meaning),
      el("p", { className: "detail" }, `Hint: ${error.hint || e.hint}`),
      el("p", { className: "detail muted" }, `ErrorInfo: ${error.errorInfo || "(empty)"}${error.requestId ? ` · RequestId ${error.requestId}` : ""} · ${error.retryable ? "retrying later may help" : "retrying will not help"}`),
    );
  } else if (isValidationError(error)) {
    box.append(el("p", { className: "verdict" }, configuring
      ? "Not sent: the configuration is not valid (see the Configuration panel)"
      : "Not sent: the body breaks documented rules"));
    showList($("send-violations"), error.violations);
  } else {
    box.append(el("p", { className: "verdict" }, `${error?.name ?? "Error"}: ${error?.message ?? error}`));
    if (isHttpError(error) || isDecodeError(error)) box.append(el("p", { className: "detail mono" }, error.snippet ?? ""));
    if (error?.name === "NetworkError") box.append(el("p", { className: "detail" }, "No reply: is the server up, and does it allow this page's origin (CORS)?"));
  }
}
