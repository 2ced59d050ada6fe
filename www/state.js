// The "Emulator state" panel: one user of the emulator's snapshot (friends, lists, blocklist,
// pending requests), chosen in its select.
import { $, el } from "./dom.js";

/** Shows the user chosen in the panel's select (alice at first) from `snap`, an emulator snapshot. */
export function renderUserState(snap) {
  const select = $("state-user");
  const chosen = select.value || "alice";
  const users = Object.keys(snap).sort();
  if (select.options.length !== users.length) {
    select.replaceChildren(...users.map((u) => el("option", { value: u }, u)));
  }
  select.value = users.includes(chosen) ? chosen : users[0];
  const user = snap[select.value] ?? { friends: {}, lists: [], blocked: [], pendingFrom: [] };
  $("state-allow").textContent = `AllowType: ${user.allowType}`;
  const tbody = $("state-friends").tBodies[0];
  tbody.replaceChildren();
  for (const [to, f] of Object.entries(user.friends ?? {})) {
    tbody.append(el("tr", { dataset: { account: to } },
      el("td", {}, el("code", {}, to)), el("td", {}, f.remark ?? ""), el("td", {}, (f.groups ?? []).join(", ")),
      el("td", {}, f.addSource ?? ""), el("td", {}, f.addTime ? new Date(f.addTime * 1000).toISOString().replace(".000Z", "Z") : "")));
  }
  if (tbody.rows.length === 0) tbody.append(el("tr", { className: "empty" }, el("td", { colspan: "5" }, "No friends.")));
  const list = (items) => (items?.length ? items.join(", ") : "none");
  $("state-lists").textContent = list(user.lists);
  $("state-blocked").textContent = list(user.blocked);
  $("state-pending").textContent = list(user.pendingFrom);
}
