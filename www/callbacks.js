// The "Callbacks" view of offline mode: the relationship-chain callbacks the in-tab emulator
// would have sent to the app's webhook for each call (command, signed query, body), each
// checked with verifyWebhook as the app would on arrival.
import { verifyWebhook } from "tim-sns/emulator";

/** The token the in-tab emulator signs callbacks with (a demo value; it protects nothing). */
export const DEMO_CALLBACK_TOKEN = "demo-callback-token";

function summary(body) {
  if (body.PairList) return body.PairList.map((p) => `${p.From_Account} → ${p.To_Account}`).join(", ") || "no pairs";
  const items = body.FriendItem ?? body.ResponseFriendItem ?? [];
  return `${body.From_Account} → ${items.map((i) => i.To_Account).join(", ")}`;
}

/** The signature check of one logged callback, at the moment it was sent. */
function check(entry, sdkAppId) {
  const requestTime = Number(new URLSearchParams(entry.query).get("RequestTime"));
  const v = verifyWebhook({ query: entry.query, token: DEMO_CALLBACK_TOKEN, sdkAppId, now: requestTime || undefined });
  return v.valid ? "signature valid" : `refused: ${v.reason}`;
}

/** Re-renders the table `table` from `emulator.callbacks()`; `empty` is shown when there are none. */
export function renderCallbacks(emulator, sdkAppId, table, empty) {
  const log = emulator.callbacks();
  empty.hidden = log.length > 0;
  table.hidden = log.length === 0;
  const rows = log.slice().reverse().map((entry) => {
    const tr = document.createElement("tr");
    tr.dataset.command = entry.command;
    const cell = (text, code) => {
      const td = document.createElement("td");
      const inner = code ? document.createElement("code") : td;
      inner.textContent = text;
      if (code) td.append(inner);
      return td;
    };
    const body = document.createElement("td");
    const details = document.createElement("details");
    const label = document.createElement("summary");
    label.textContent = summary(entry.body);
    const pre = document.createElement("pre");
    pre.className = "code";
    pre.textContent = `POST ?${entry.query}\n\n${JSON.stringify(entry.body, null, 2)}`;
    details.append(label, pre);
    body.append(details);
    const verdict = cell(check(entry, sdkAppId));
    verdict.dataset.testid = "callback-check";
    tr.append(cell(String(entry.index + 1)), cell(entry.command, true), body, verdict);
    return tr;
  });
  table.tBodies[0].replaceChildren(...rows);
}
