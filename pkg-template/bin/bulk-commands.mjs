// The bulk write commands, one row each: the SnsClient bulk method, the columns a file may have
// (and the type of each), the flags that add to every request body, and what the summary counts.
// Rows become the bulk engine's input (`[{ From_Account, items }]`, one entry per user in the
// order users first appear); bulk.mjs runs them all the same way.
import { CliError } from "./exit.mjs";

/** Columns every command reads: the user whose relations change, and the other user. */
const PAIR = { From_Account: "string", To_Account: "string" };

/** An enum flag: its body field and its choices (the wire values; the part after the last _ works too). */
const choice = (field, values) => ({ field, values });

/** The bulk write commands. `fields`: the item's columns and types; `item: "target"`: the item is To_Account alone. */
export const BULK_COMMANDS = {
  "import-friends": {
    method: "importFriends", summary: "imported", what: "friends", item: "object",
    // Without a header, cells are in this order: the From_Account,To_Account[,Remark,GroupName,AddSource] first.
    fields: { ...PAIR, Remark: "string", GroupName: "list", AddSource: "string", AddWording: "string", RemarkTime: "integer", AddTime: "integer" },
    defaults: { AddSource: "AddSource_Type_Import" },
    help: "import friends (friend_import: no approval, keeps add times, sources, remarks, lists)",
  },
  "add-friends": {
    method: "addFriends", summary: "added", what: "friends", item: "object",
    fields: { ...PAIR, Remark: "string", GroupName: "string", AddSource: "string", AddWording: "string" },
    defaults: {}, required: ["AddSource"],
    choices: { "add-type": choice("AddType", ["Add_Type_Both", "Add_Type_Single"]) },
    switches: { force: ["ForceAddFlags", 1] },
    help: "add friends (friend_add: as the users would; --force skips approval)",
  },
  "delete-friends": {
    method: "deleteFriends", summary: "deleted", what: "friends", item: "target", fields: PAIR, defaults: {},
    choices: { "delete-type": choice("DeleteType", ["Delete_Type_Single", "Delete_Type_Both"]) },
    help: "delete friends (friend_delete)",
  },
  block: { method: "blockUsers", summary: "blocked", what: "users", item: "target", fields: PAIR, defaults: {}, help: "add users to blocklists (black_list_add)" },
  unblock: { method: "unblockUsers", summary: "unblocked", what: "users", item: "target", fields: PAIR, defaults: {}, help: "remove users from blocklists (black_list_delete)" },
};

/** The value of the choice flag `raw` among `values` (any case; "both" for "Add_Type_Both"). */
export function pickChoice(flag, raw, values) {
  const hit = values.find((v) => [v, v.slice(v.lastIndexOf("_") + 1)].some((n) => n.toLowerCase() === raw.toLowerCase()));
  if (hit === undefined) throw new CliError("usage", `--${flag} ${JSON.stringify(raw)}: must be one of ${values.join(", ")}`);
  return hit;
}

/** `value` of `field` as `type` wants it, or throws the reason (a string). CSV cells are strings; JSON keeps its types. */
function convert(field, type, value) {
  if (Array.isArray(value) && type !== "list") throw `${field} is given ${value.length} times; it takes one value`;
  if (type === "list") return Array.isArray(value) ? value : [value];
  if (type === "integer" && typeof value === "string") {
    if (!/^\d+$/.test(value)) throw `${field} ${JSON.stringify(value)} is not a whole number of seconds`;
    return Number(value);
  }
  return value;
}

/**
 * The bulk input of `rows` (from the shared reader) for `command`: `{ input, entries, bad }`.
 * `entries[i]` is flattened item i as the engine numbers it (`{ line, from, item, record }`, where
 * `record` is the row as the failed-items file writes it); `from` is the user of rows that name none.
 */
export function bulkInput(command, rows, { from, addSource }) {
  const spec = BULK_COMMANDS[command];
  const bad = [];
  const users = new Map();
  for (const { line, values } of rows) {
    const fromAccount = values.From_Account ?? from;
    if (fromAccount === undefined || fromAccount === "") {
      bad.push({ line, message: "no From_Account: add the column, or --from USER for a file of one user's rows" });
      continue;
    }
    if (values.To_Account === undefined || values.To_Account === "") {
      bad.push({ line, message: "no To_Account" });
      continue;
    }
    let item;
    try {
      if (spec.item === "target") {
        item = convert("To_Account", "string", values.To_Account);
      } else {
        item = { ...spec.defaults, ...(addSource ? { AddSource: addSource } : {}) };
        // JSON Lines rows keep fields this table does not list (the engine checks every field);
        // CSV columns are only the listed ones (the reader leaves the rest out).
        for (const [field, value] of Object.entries(values)) {
          if (field === "From_Account") continue;
          item[field] = field in spec.fields ? convert(field, spec.fields[field], value) : value;
        }
      }
      convert("From_Account", "string", fromAccount);
      for (const field of spec.required ?? []) {
        if (item[field] === undefined) throw `no ${field}: add the column, or --add-source AddSource_Type_XXX`;
      }
    } catch (reason) {
      if (typeof reason !== "string") throw reason;
      bad.push({ line, message: reason });
      continue;
    }
    if (!users.has(fromAccount)) users.set(fromAccount, []);
    const record = spec.item === "target" ? { From_Account: fromAccount, To_Account: item } : { From_Account: fromAccount, ...item };
    users.get(fromAccount).push({ line, from: fromAccount, item, record });
  }
  const entries = [...users.values()].flat();
  const input = [...users].map(([From_Account, list]) => ({ From_Account, items: list.map((e) => e.item) }));
  return { input, entries, bad };
}
