// Interop with Tencent's official UserSig libraries, installed from their registries:
// npm tls-sig-api-v2@1.0.2 and PyPI tls-sig-api-v2==1.1 (in target/pyenv, made by setup.sh).
// Their sigs verify with ours; ours decode and verify by their algorithms.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { inflateSync } from "node:zlib";
import { createRequire } from "node:module";
import { genUserSig, decodeUserSig, verifyUserSig, isUserSigError, isValidationError } from "tim-sns";

const require = createRequire(import.meta.url);
const OfficialApi = require("tls-sig-api-v2").Api;
const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const PYTHON = here("../../target/pyenv/bin/python");

// A small seeded PRNG (mulberry32) so failures can be replayed with TIM_SNS_SEED.
const SEED = Number(process.env.TIM_SNS_SEED ?? Date.now() % 2 ** 31);
console.log(`# interop seed ${SEED} (replay with TIM_SNS_SEED=${SEED})`);
let state = SEED >>> 0;
const rand = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
};
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = (s) => s[int(0, s.length - 1)];
const SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join("");

function identifier() {
  const style = int(0, 9);
  if (style < 6) return Array.from({ length: int(1, 32) }, () => pick(SAFE)).join("");
  if (style < 8) return Array.from({ length: int(1, 32) }, () => pick(PRINTABLE)).join("");
  // Multi-byte UTF-8 within 32 bytes: 1 to 10 three-byte CJK characters.
  return Array.from({ length: int(1, 10) }, () => String.fromCharCode(int(0x4e00, 0x9fa5))).join("");
}
function key() {
  if (rand() < 0.5) return Array.from({ length: 64 }, () => pick("0123456789abcdef")).join("");
  return Array.from({ length: int(1, 80) }, () => pick(PRINTABLE)).join("");
}
function inputs(n) {
  const now = Math.floor(Date.now() / 1000);
  return Array.from({ length: n }, () => ({
    sdkappid: rand() < 0.8 ? int(1400000000, 1499999999) : int(1, 99999999),
    key: key(),
    identifier: identifier(),
    time: now + int(-86400 * 30, 3600),
    expire: int(1, 50 * 365 * 86400),
  }));
}

function withClock(seconds, fn) {
  const real = Date.now;
  Date.now = () => seconds * 1000 + 999; // the library floors: any millisecond in the second works
  try { return fn(); } finally { Date.now = real; }
}
const npmMint = (i) => withClock(i.time, () => new OfficialApi(i.sdkappid, i.key).genUserSig(i.identifier, i.expire));

// The npm library's algorithm applied to a sig: undo the substitution, inflate, recompute.
function npmCheck(sig, key) {
  const b64 = sig.replace(/_/g, "=").replace(/-/g, "/").replace(/\*/g, "+");
  const doc = JSON.parse(inflateSync(Buffer.from(b64, "base64")).toString("utf8"));
  const api = new OfficialApi(doc["TLS.sdkappid"], key);
  const expected = api._hmacsha256(doc["TLS.identifier"], doc["TLS.time"], doc["TLS.expire"], doc["TLS.userbuf"] ?? null);
  return { doc, valid: expected === doc["TLS.sig"] };
}

function python(request) {
  assert.ok(existsSync(PYTHON), `${PYTHON} is missing: run scripts/setup.sh (creates the venv with tls-sig-api-v2==1.1)`);
  const out = execFileSync(PYTHON, [here("./pysig.py")], { input: JSON.stringify(request), maxBuffer: 64 << 20 });
  return JSON.parse(out.toString("utf8"));
}

const ours = (i) => genUserSig({ sdkAppId: i.sdkappid, secretKey: i.key, identifier: i.identifier, time: i.time, expireSeconds: i.expire });
const expectValid = (sig, i, who) => {
  const r = verifyUserSig(sig, { sdkAppId: i.sdkappid, secretKey: i.key, identifier: i.identifier, now: i.time });
  assert.equal(r.valid, true, `${who} sig for ${JSON.stringify(i.identifier)} refused: ${r.message}`);
  assert.deepEqual(
    [r.decoded.identifier, r.decoded.sdkAppId, r.decoded.time, r.decoded.expire],
    [i.identifier, i.sdkappid, i.time, i.expire],
  );
};

const CASES = inputs(200);

test("sigs minted by npm tls-sig-api-v2@1.0.2 verify and decode with ours", () => {
  for (const i of CASES) expectValid(npmMint(i), i, "npm");
});

test("sigs minted by PyPI tls-sig-api-v2==1.1 verify and decode with ours", () => {
  const { minted } = python({ mint: CASES });
  assert.equal(minted.length, CASES.length);
  minted.forEach((sig, n) => expectValid(sig, CASES[n], "python"));
});

test("our sigs decode and verify by the npm library's algorithm", () => {
  for (const i of CASES) {
    const { doc, valid } = npmCheck(ours(i), i.key);
    assert.equal(valid, true);
    assert.deepEqual(doc, {
      "TLS.ver": "2.0", "TLS.identifier": i.identifier, "TLS.sdkappid": i.sdkappid,
      "TLS.time": i.time, "TLS.expire": i.expire, "TLS.sig": doc["TLS.sig"],
    });
    // Same inputs, same HMAC as the official generator.
    assert.equal(doc["TLS.sig"], npmCheck(npmMint(i), i.key).doc["TLS.sig"]);
  }
});

test("our sigs decode and verify by the PyPI library's algorithm", () => {
  const { checked } = python({ check: CASES.map((i) => ({ sig: ours(i), key: i.key })) });
  checked.forEach((r, n) => {
    const i = CASES[n];
    assert.equal(r.error, null);
    assert.equal(r.valid, true, `python refused our sig for ${JSON.stringify(i.identifier)}`);
    assert.deepEqual([r.doc["TLS.identifier"], r.doc["TLS.sdkappid"], r.doc["TLS.time"], r.doc["TLS.expire"]],
      [i.identifier, i.sdkappid, i.time, i.expire]);
  });
  // And the converse check of the harness itself: a wrong key is refused by their algorithm.
  const [bad] = python({ check: [{ sig: ours(CASES[0]), key: CASES[0].key + "x" }] }).checked;
  assert.equal(bad.valid, false);
});

// Spec usersig.md §4: sigs produced by the official libraries with a fixed clock.
const VECTORS = [
  { sdkappid: 1400000000, key: "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e", identifier: "xiaojun", time: 1700000000, expire: 15552000, sigs: [
    "eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwhWZiflZpXlQqeKU7MSCgswUJStDEwMogMiUZOamKlkZmqOKplYUZBaBxE1NTY3gosWZ6UpWSj5ljuYp*p7l5unBxXnF2WVhVU4uAf7Ozi5JpX7O5SbuHuUhzgZJmQXaTia2SrUAohcx8g__",
    "eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkKjIT87NK82CSxSnZiQUFmSlAKUMTAyiAyqVWFGQWpYJkTE1NjRDiJZm5YFFzNPXFmekgG3zKHM1T9D3LzdODi-OKs8vCqpxcAvydnV2SSv2cy03cPcpDnA2SMgu0nUxslWoBHdYzUg__"] },
  { sdkappid: 1400123456, key: "secret-key-for-tests", identifier: "administrator", time: 1735689600, expire: 86400, sigs: [
    "eJw1yl0LgjAYhuH-8h6HTDeXDTqwL4K*hKKOrc3xYjrbhijRfw*0Dp-rud9w2Z*DVlkQEAUEJsNGqWqPBQ6cywprdN7m3thf4GSZNw1KECEjJIwoi-n4eKwUiHBKY57MOCGjqq5Bq0AknP3JoQYBL1sY19LW3Fea*G59ZM*r6bf0tOnTLH4suCmXendLdXaYw*cL5RA02Q__",
    "eJw9zV0LgjAYhuG-IjsOmU6XBR3YF0FfQmHH1uZ4MZ1tYyjRf0-LOr3uB54nOu9OruUKTR3kuxiNnI8A45WBHL4hYyVUoI3KjFS-iWZFVtfAuoEXYOz5JAjp0HhTg*JdiWiXBjRQ9uSNSUijCf27BtGfPFQutSVWXpcCm2Z1CO6pbDfkuG7jJLzNqSwWYnuJRbKfodcbdBY2OQ__"] },
  { sdkappid: 20000001, key: "k", identifier: "user_01-a", time: 1600000000, expire: 1, sigs: [
    "eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwqXFqUXxBoa6iVDJ4pTsxIKCzBQlKyMDMDCEiJdk5qYqWRmaGUABRDS1oiCzCCQO1ZyZrmSllOWTUhSYGexe7OZvVJxv5p5i4KVt7hNqaG5uUlBZWBkaZlnuH2mekeiUbWGrVAsAPxwv9w__",
    "eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkSotTi*INDHUTYdLFKdmJBQWZKUBJIwMwMITKpFYUZBalAsVhAiWZuWCumQEUwIzITAcZneWTUhSYGexe7OZvVJxv5p5i4KVt7hNqaG5uUlBZWBkaZlnuH2mekeiUbWGrVAsAtDkxVw__"] },
];

test("spec vectors verify, decode, and vector 3's boundary and mismatches hold", () => {
  for (const v of VECTORS) for (const sig of v.sigs) expectValid(sig, v, "vector");
  const v = VECTORS[2];
  const check = (sig, over) => verifyUserSig(sig, { sdkAppId: v.sdkappid, secretKey: v.key, identifier: v.identifier, now: v.time, ...over });
  for (const sig of v.sigs) {
    assert.equal(check(sig, { now: 1600000001 }).valid, true);
    assert.deepEqual([check(sig, { now: 1600000002 }).reason, check(sig, { now: 1600000002 }).errorCode], ["expired", 70001]);
    assert.deepEqual([check(sig, { secretKey: "K" }).reason, check(sig, { secretKey: "K" }).errorCode], ["bad-signature", 70009]);
    assert.deepEqual([check(sig, { identifier: "user_01-b" }).reason, check(sig, { identifier: "user_01-b" }).errorCode], ["identifier-mismatch", 70013]);
    assert.deepEqual([check(sig, { sdkAppId: 20000002 }).reason, check(sig, { sdkAppId: 20000002 }).errorCode], ["sdkappid-mismatch", 70014]);
  }
});

test("tampered sigs are refused with the right reason", () => {
  const i = { sdkappid: 1400000000, key: "tamper-key", identifier: "administrator", time: 1700000000, expire: 86400 };
  const sig = ours(i);
  const opts = { sdkAppId: i.sdkappid, secretKey: i.key, identifier: i.identifier, now: i.time };
  const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-";
  // Every single-character change that alters the signed document is refused. (A change in
  // the deflate stream's unused final bits inflates to the very same document: that is the
  // same credential, which zlib itself accepts, so it is not counted as tampering.)
  const original = JSON.stringify(npmCheck(sig, i.key).doc);
  const sameDocument = (s) => { try { return JSON.stringify(npmCheck(s, i.key).doc) === original; } catch { return false; } };
  let flips = 0;
  for (let pos = 4; pos < sig.length - 2; pos += 1) {
    const c = sig[pos];
    const replacement = ALPHABET[(ALPHABET.indexOf(c) + 17) % 64];
    const tampered = sig.slice(0, pos) + replacement + sig.slice(pos + 1);
    if (sameDocument(tampered)) continue;
    const r = verifyUserSig(tampered, opts);
    assert.equal(r.valid, false, `flip at ${pos} accepted`);
    assert.ok(["malformed", "bad-signature", "identifier-mismatch", "sdkappid-mismatch", "expired"].includes(r.reason), r.reason);
    flips++;
  }
  assert.ok(flips > 150, `only ${flips} flips checked`);
  // A re-packed document with another identifier but the original TLS.sig.
  const { doc } = npmCheck(sig, i.key);
  const forged = Buffer.from(JSON.stringify({ ...doc, "TLS.identifier": "mallory" }));
  const { deflateSync } = require("node:zlib");
  const forgedSig = deflateSync(forged).toString("base64").replace(/\+/g, "*").replace(/\//g, "-").replace(/=/g, "_");
  const f = verifyUserSig(forgedSig, { ...opts, identifier: "mallory" });
  assert.deepEqual([f.valid, f.reason, f.errorCode], [false, "bad-signature", 70009]);
  assert.equal(verifyUserSig(sig, { ...opts, secretKey: "other" }).reason, "bad-signature");
  assert.equal(verifyUserSig(sig, { ...opts, identifier: "someone" }).reason, "identifier-mismatch");
  assert.equal(verifyUserSig(sig, { ...opts, sdkAppId: 1400000001 }).reason, "sdkappid-mismatch");
  assert.deepEqual([verifyUserSig(sig, { ...opts, now: i.time + i.expire + 1 }).reason, verifyUserSig(sig, { ...opts, now: i.time + i.expire + 1 }).errorCode], ["expired", 70001]);
  const m = verifyUserSig("garbage", opts);
  assert.deepEqual([m.valid, m.reason, m.errorCode], [false, "malformed", 70003]);
});

test("bad input from JS throws clear Errors and never kills the instance", () => {
  const good = { sdkAppId: 1400000000, secretKey: "bad-input-key", identifier: "administrator" };
  const cases = [
    [{ ...good, identifier: undefined }, [["identifier", "required"]]],
    [{ ...good, identifier: 42 }, [["identifier", "type"]]],
    [{ ...good, identifier: null }, [["identifier", "required"]]],
    [{ ...good, identifier: { id: "a" } }, [["identifier", "type"]]],
    [{ ...good, identifier: "" }, [["identifier", "non-empty"]]],
    [{ ...good, expireSeconds: -1 }, [["expireSeconds", "integer-range"]]],
    [{ ...good, expireSeconds: 1.5 }, [["expireSeconds", "integer-range"]]],
    [{ ...good, expireSeconds: NaN }, [["expireSeconds", "type"]]],
    [{ ...good, expireSeconds: "86400" }, [["expireSeconds", "type"]]],
    [{ ...good, secretKey: "" }, [["secretKey", "non-empty"]]],
    [{ sdkAppId: "x", identifier: 1, expireSeconds: 0 }, [["sdkAppId", "type"], ["secretKey", "required"], ["identifier", "type"], ["expireSeconds", "integer-range"]]],
  ];
  for (const [opts, expected] of cases) {
    assert.throws(() => genUserSig(opts), (e) => {
      assert.ok(e instanceof Error && isValidationError(e), String(e));
      assert.deepEqual(e.violations.map((v) => [v.path, v.rule]), expected, e.message);
      assert.ok(e.message.length > 10 && !e.message.includes("bad-input-key"));
      return true;
    });
    assert.ok(genUserSig(good).length > 50, "the instance still works after a throw");
  }
  for (const notObject of [undefined, null, 5, "opts", [1]]) {
    assert.throws(() => genUserSig(notObject), (e) => isValidationError(e) && /must be an object/.test(e.message));
  }
  assert.throws(() => decodeUserSig("garbage"), (e) => isUserSigError(e) && e.errorCode === 70003 && e.reason === "malformed");
  assert.throws(() => decodeUserSig(""), (e) => isUserSigError(e));
  assert.throws(() => decodeUserSig(12345), (e) => isValidationError(e) && e.violations[0].path === "sig");
  assert.throws(() => verifyUserSig(null, { ...good }), (e) => isValidationError(e) && /sig must be a string, got null/.test(e.message));
  assert.ok(decodeUserSig(genUserSig(good)).identifier === "administrator");
});
