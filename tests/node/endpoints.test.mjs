// The 15 endpoints from JS: generic and typed validate / build / parse over every doc sample.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as sns from "tim-sns";

const FIXTURES = new URL("../fixtures/", import.meta.url);
const COMMANDS = ["friend_add", "friend_import", "friend_update", "friend_delete", "friend_delete_all", "friend_check",
  "friend_get", "friend_get_list", "black_list_add", "black_list_delete", "black_list_get", "black_list_check",
  "group_add", "group_delete", "group_get"];
const pascal = (c) => c.split("_").map((w) => w[0].toUpperCase() + w.slice(1)).join("");
const samples = (cmd, kind) => readdirSync(new URL(`${cmd}/`, FIXTURES))
  .filter((f) => f.endsWith(`-${kind}.json`))
  .map((f) => [f, readFileSync(new URL(`${cmd}/${f}`, FIXTURES), "utf8")]);

test("every endpoint has typed validate, build and parse exports", () => {
  for (const cmd of COMMANDS) {
    for (const verb of ["validate", "build", "parse"]) assert.equal(typeof sns[verb + pascal(cmd)], "function", verb + pascal(cmd));
  }
});

test("every sample request validates and builds to equivalent JSON, generically and typed", () => {
  let n = 0;
  for (const cmd of COMMANDS) {
    for (const [name, text] of samples(cmd, "request")) {
      const body = JSON.parse(text);
      assert.deepEqual(sns.validate(cmd, body), [], `${cmd}/${name}`);
      assert.deepEqual(JSON.parse(sns.buildRequest(cmd, body)), body, `${cmd}/${name}`);
      assert.equal(sns[`build${pascal(cmd)}`](body), sns.buildRequest(cmd, body));
      assert.equal(sns[`validate${pascal(cmd)}`](body), undefined);
      n++;
    }
  }
  assert.ok(n >= 35, `${n} samples`);
});

test("every sample response parses, keeps its fields and marks item outcomes", () => {
  let n = 0;
  for (const cmd of COMMANDS) {
    for (const [name, text] of samples(cmd, "response")) {
      const original = JSON.parse(text);
      if (original.ErrorCode !== 0) {
        assert.throws(() => sns.parseResponse(cmd, text), (e) => sns.isApiError(e) && e.errorCode === original.ErrorCode, `${cmd}/${name}`);
        continue;
      }
      const parsed = sns[`parse${pascal(cmd)}`](text);
      assert.deepEqual(parsed, sns.parseResponse(cmd, text));
      for (const [key, value] of Object.entries(original)) {
        if (!["ResultItem", "InfoItem", "BlackListCheckItem"].includes(key)) assert.deepEqual(parsed[key], value, `${cmd}/${name} ${key}`);
      }
      for (const key of ["ResultItem", "InfoItem", "BlackListCheckItem"]) {
        for (const item of parsed[key] ?? []) {
          if (item.ResultCode === undefined) continue;
          const expected = item.ResultCode === 0 ? "ok" : item.ResultCode === 30539 ? "pending" : "failed";
          assert.equal(item.outcome, expected, `${cmd}/${name} ${item.To_Account}`);
        }
      }
      n++;
    }
  }
  assert.ok(n >= 30, `${n} samples`);
});

test("a pending friend request is its own outcome", () => {
  const r = sns.parseFriendAdd(JSON.stringify({
    ResultItem: [{ To_Account: "carol", ResultCode: 30539, ResultInfo: "" }], ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "",
  }));
  assert.equal(r.ResultItem[0].outcome, "pending");
});

test("typed validators throw a ValidationError with every violation", () => {
  assert.throws(
    () => sns.validateFriendAdd({ From_Account: "", AddFriendItem: [{ To_Account: "b", AddSource: "web" }], AddType: "Add_Type_Both", ForceAddFlags: 3 }),
    (e) => sns.isValidationError(e)
      && JSON.stringify(e.violations.map((v) => v.path)) === JSON.stringify(["From_Account", "AddFriendItem[0].AddSource", "ForceAddFlags"]),
  );
  assert.throws(() => sns.buildGroupAdd({ From_Account: "a", GroupName: [] }), (e) => e.violations[0].rule === "non-empty");
  assert.throws(() => sns.validateFriendGet({ From_Account: "a", StartIndex: 0 }, { softLimits: "no" }), (e) => e.violations[0].path === "options.softLimits");
});

test("a failed envelope is an ApiError with the catalogue's explanation", () => {
  const text = JSON.stringify({ ActionStatus: "FAIL", ErrorCode: 70016, ErrorInfo: "key not found", ErrorDisplay: "", RequestId: "Id-1" });
  assert.throws(() => sns.parseFriendGet(text), (e) => {
    assert.ok(e instanceof Error && sns.isApiError(e) && !sns.isDecodeError(e));
    assert.deepEqual([e.errorCode, e.errorInfo, e.requestId, e.codeName, e.retryable], [70016, "key not found", "Id-1", "KEY_NOT_FOUND", false]);
    assert.match(e.hint, /region/);
    assert.match(e.message, /70016/);
    return true;
  });
  assert.throws(() => sns.parseGroupGet('{"ActionStatus":"FAIL","ErrorCode":30006,"ErrorInfo":""}'), (e) => e.retryable === true);
});

test("unusable replies are DecodeErrors with a snippet", () => {
  assert.throws(() => sns.parseFriendGet("<html>502 Bad Gateway</html>"), (e) => sns.isDecodeError(e) && e.snippet.startsWith("<html>"));
  assert.throws(() => sns.parseFriendAdd('{"ActionStatus":"OK","ErrorCode":0,"ResultItem":[{"To_Account":"b","ResultCode":"0"}]}'),
    (e) => sns.isDecodeError(e) && e.violations[0].path === "ResultItem[0].ResultCode");
  assert.throws(() => sns.parseFriendGet("x".repeat(1000)), (e) => e.snippet.length === 200);
});

test("legacy and unknown reply fields are accepted and kept", () => {
  const r = sns.parseBlackListGet('{"BlackListItem":[],"StartIndex":0,"CurruentSequence":7,"Brand_New":[1],"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}');
  assert.deepEqual([r.CurruentSequence, r.CurrentSequence, r.Brand_New], [7, 7, [1]]);
  const a = sns.parseFriendAdd('{"ResultItem":[],"Invalid_Account":["x"],"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"0"}');
  assert.deepEqual(a.Invalid_Account, ["x"]);
});

test("undefined members are left out of built bodies", () => {
  assert.equal(sns.buildFriendDelete({ From_Account: "a", To_Account: ["b"], DeleteType: undefined }), '{"From_Account":"a","To_Account":["b"]}');
});
