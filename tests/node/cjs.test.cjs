// The packed package as a Node CommonJS consumer sees it: `require("tim-sns")`.
const { test } = require("node:test");
const assert = require("node:assert/strict");
const sns = require("tim-sns");

test("CJS require works with no init", () => {
  const opts = { sdkAppId: 1400000000, secretKey: "cjs-key", identifier: "administrator", time: 1700000000, expireSeconds: 60 };
  const sig = sns.genUserSig(opts);
  assert.equal(sns.decodeUserSig(sig).expiresAt, 1700000060);
  const check = { sdkAppId: opts.sdkAppId, secretKey: opts.secretKey, identifier: opts.identifier };
  assert.equal(sns.verifyUserSig(sig, { ...check, now: 1700000060 }).valid, true);
  assert.equal(sns.verifyUserSig(sig, { ...check, now: 1700000061 }).reason, "expired");
  // Options are checked for typos too: generator-only options are not silently ignored.
  assert.throws(() => sns.verifyUserSig(sig, opts), /expireSeconds is not a known field/);
});

test("CJS and ESM entries are separate instances with the same behaviour", async () => {
  const esm = await import("tim-sns");
  const opts = { sdkAppId: 7, secretKey: "k", identifier: "a", time: 1, expireSeconds: 1 };
  // Sigs are deterministic for fixed inputs: both instances must mint the same string.
  assert.equal(sns.genUserSig(opts), esm.genUserSig(opts));
  // nodeHttpFetch is an ES module of the Node entry (like the migration methods): ESM only.
  assert.deepEqual(Object.keys(sns).filter((k) => typeof sns[k] === "function").sort(),
    Object.keys(esm).filter((k) => !["default", "initSync", "nodeHttpFetch"].includes(k) && typeof esm[k] === "function").sort());
});

test("CJS errors carry fields", () => {
  assert.throws(() => sns.verifyUserSig(42, {}), (e) => {
    assert.equal(e.name, "ValidationError");
    assert.deepEqual(e.violations.map((v) => v.path), ["sig", "sdkAppId", "secretKey"]);
    return sns.isValidationError(e);
  });
});

test("an empty expected identifier is a ValidationError, not a mismatch", () => {
  const sig = sns.genUserSig({ sdkAppId: 1, secretKey: "k", identifier: "a" });
  assert.throws(() => sns.verifyUserSig(sig, { sdkAppId: 1, secretKey: "k", identifier: "" }),
    (e) => sns.isValidationError(e) && e.violations[0].path === "identifier" && e.violations[0].rule === "non-empty");
});
