// validate(command, body, options?): every documented request rule, from JS.
import { test } from "node:test";
import assert from "node:assert/strict";
import { validate, isValidationError } from "tim-sns";

const rules = (list) => list.map((v) => `${v.path}|${v.rule}`);

test("a valid request has no violations", () => {
  assert.deepEqual(validate("friend_add", { From_Account: "alice", AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Web" }] }), []);
});

test("every violation is listed with its path, including typos", () => {
  const body = {
    From_account: "alice",
    AddFriendItem: [
      { To_Account: "bob", AddSource: "AddSource_Type_Web" },
      { To_Account: "carol", AddSource: "AddSource_Type_Web2", Remark: "备".repeat(33) },
    ],
  };
  assert.deepEqual(rules(validate("friend_add", body)), [
    "From_account|unknown-field", "From_Account|required", "AddFriendItem[1].Remark|max-bytes", "AddFriendItem[1].AddSource|pattern",
  ]);
  const [typo] = validate("friend_add", body);
  assert.match(typo.message, /did you mean From_Account\?/);
});

test("undefined optional fields count as absent, as JSON.stringify would drop them", () => {
  assert.deepEqual(validate("friend_delete", { From_Account: "a", To_Account: ["b"], DeleteType: undefined }), []);
});

test("options relax soft limits, pick the UserID charset and let new fields through", () => {
  const items = Array.from({ length: 101 }, (_, i) => ({ To_Account: `u${i}`, AddSource: "AddSource_Type_Web" }));
  assert.deepEqual(rules(validate("friend_add", { From_Account: "a", AddFriendItem: items })), ["AddFriendItem|max-items-soft"]);
  assert.deepEqual(validate("friend_add", { From_Account: "a", AddFriendItem: items }, { softLimits: false }), []);
  assert.deepEqual(rules(validate("friend_delete_all", { From_Account: "a.b" }, { userIdCharset: "strict" })), ["From_Account|user-id-charset"]);
  assert.deepEqual(validate("friend_delete_all", { From_Account: "a", NewField: 1 }, { allowUnknownFields: true }), []);
});

test("an unknown command or bad options throw a ValidationError", () => {
  assert.throws(() => validate("friend_get_all", {}), (e) => isValidationError(e) && e.violations[0].path === "command");
  assert.throws(() => validate("friend_get", {}, { softlimits: false, userIdCharset: "x" }),
    (e) => isValidationError(e) && e.violations.length === 2);
});
