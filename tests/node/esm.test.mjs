// The packed package as a Node ESM consumer sees it: `import ... from "tim-sns"`.
import { test } from "node:test";
import assert from "node:assert/strict";
import init, * as sns from "tim-sns";

const opts = { sdkAppId: 1400000000, secretKey: "esm-key", identifier: "administrator" };

test("ESM entry is ready without init, and init() is a harmless no-op", async () => {
  const sig = sns.genUserSig(opts);
  assert.match(sig, /^[A-Za-z0-9*_-]+$/);
  await init();
  assert.equal(sns.decodeUserSig(sig).identifier, "administrator");
});

test("ESM exports the documented surface", () => {
  for (const name of ["genUserSig", "decodeUserSig", "verifyUserSig", "isValidationError", "isUserSigError", "explainError"]) {
    assert.equal(typeof sns[name], "function", name);
  }
});

test("generate, decode and verify round-trip with the JS clock", () => {
  const before = Math.floor(Date.now() / 1000);
  const sig = sns.genUserSig({ ...opts, expireSeconds: 86400 });
  const d = sns.decodeUserSig(sig);
  assert.ok(d.time >= before && d.time <= before + 2);
  assert.deepEqual(
    { ...d, time: 0, expiresAt: 0 },
    { version: "2.0", identifier: "administrator", sdkAppId: 1400000000, time: 0, expire: 86400, expiresAt: 0, hasUserBuf: false },
  );
  assert.equal(d.expiresAt, d.time + 86400);
  const ok = sns.verifyUserSig(sig, opts);
  assert.equal(ok.valid, true);
  assert.deepEqual(ok.decoded, d);
  const late = sns.verifyUserSig(sig, { ...opts, now: d.expiresAt + 1 });
  assert.deepEqual([late.valid, late.reason, late.errorCode], [false, "expired", 70001]);
});

test("errors are real Errors with a kind, fields and type guards", () => {
  assert.throws(
    () => sns.genUserSig({ ...opts, identifier: "x".repeat(33), expireSeconds: -1 }),
    (e) => {
      assert.ok(e instanceof Error);
      assert.equal(e.name, "ValidationError");
      assert.ok(sns.isValidationError(e) && !sns.isUserSigError(e));
      assert.deepEqual(e.violations.map((v) => [v.path, v.rule]), [["identifier", "max-bytes"], ["expireSeconds", "integer-range"]]);
      assert.ok(!e.message.includes("esm-key"), "the key is never echoed");
      return true;
    },
  );
  assert.throws(() => sns.decodeUserSig("%%%"), (e) => sns.isUserSigError(e) && e.errorCode === 70003 && e.reason === "malformed");
  assert.equal(sns.isValidationError(new Error("x")), false);
});

test("explainError describes catalogued codes and ranges, and rejects non-codes", () => {
  const e = sns.explainError(70001);
  assert.deepEqual([e.code, e.name, e.retryable, e.known], [70001, "USERSIG_EXPIRED", false, true]);
  assert.equal(sns.explainError(60007).retryable, true);
  assert.match(sns.explainError(70020).hint, /region/);
  assert.deepEqual([sns.explainError(38500).name, sns.explainError(38500).known], ["APP_WEBHOOK_REJECTED", false]);
  for (const bad of [-1, 1.5, "70001", 2 ** 32]) {
    assert.throws(() => sns.explainError(bad), (err) => sns.isValidationError(err) && err.violations[0].path === "code");
  }
});

test("values with no JSON form are reported at their paths, together with every other problem", () => {
  assert.throws(
    () => sns.genUserSig({ sdkAppId: NaN, secretKey: () => "k", identifier: Symbol("do-not-echo"), expireSeconds: -1 }),
    (e) => {
      assert.deepEqual(e.violations.map((v) => [v.path, v.rule]), [
        ["sdkAppId", "type"], ["secretKey", "type"], ["identifier", "type"], ["expireSeconds", "integer-range"],
      ]);
      assert.match(e.violations[0].message, /got NaN/);
      assert.ok(!e.message.includes("do-not-echo"), "a symbol's description is never echoed");
      return true;
    },
  );
  assert.deepEqual(
    sns.validate("friend_delete", { From_Account: "a", To_Account: [() => 1, "b", Infinity] }).map((v) => v.path),
    ["To_Account[0]", "To_Account[2]"],
  );
});

test("cyclic input is a violation, not a crash", () => {
  const body = { From_Account: "a" };
  body.self = body;
  const found = sns.validate("friend_delete_all", body);
  assert.ok(found.some((v) => v.rule === "max-depth"));
  assert.equal(sns.genUserSig(opts).length > 50, true, "the instance still works");
});

test("identifiers with control characters are refused", () => {
  assert.throws(() => sns.genUserSig({ ...opts, identifier: "admin\n" }),
    (e) => e.violations[0].path === "identifier" && e.violations[0].rule === "control-char");
});
