// Interop of the packed tim-sns UserSig functions with Tencent's official libraries (npm
// tls-sig-api-v2 and PyPI tls-sig-api-v2): the harness, generators and vectors are in
// usersig-harness.mjs. Run: node --test tests/interop/
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { inflateSync } from "node:zlib";
import { genUserSig, decodeUserSig, verifyUserSig, isUserSigError, isValidationError } from "tim-sns";
import {
  OFFICIAL_NPM_VERSION,
  SEED,
  MAX_EXPIRE,
  sigBytes,
  bytesToSig,
  inflateSig,
  packDoc,
  ours,
  npmMint,
  npmCheck,
  expectedDecoded,
  verifyAs,
  show,
  assertOursAccepts,
  VECTORS,
  vectorSigs,
  CASES,
  OUR_SIGS,
  TAMPER,
  python,
} from "./usersig-harness.mjs";

// ---------------------------------------------------------------------------------------------
// The harness itself: pinned versions, fixed clocks, and checks that can fail.

test("the harness drives the pinned official libraries with a fixed clock", (t) => {
  assert.equal(OFFICIAL_NPM_VERSION, "1.0.2");
  const py = python();
  t.diagnostic(`npm tls-sig-api-v2 ${OFFICIAL_NPM_VERSION}; PyPI tls-sig-api-v2 ${py.library} on Python ${py.python}; node ${process.version}`);
  assert.equal(py.library, "1.1");
  for (const [n, v] of VECTORS.entries()) {
    // The npm library reproduces the recorded document byte for byte (so its clock is fixed) ...
    assert.equal(inflateSig(npmMint(v)), v.nodeJson, v.name);
    // ... and so does the Python one (its own layout; compare the recorded alt encoding).
    const pyDoc = inflateSig(py.vectors[n]);
    if (v.alt) assert.equal(pyDoc, inflateSig(v.alt), v.name);
    assert.equal(JSON.parse(pyDoc)["TLS.sig"], v.tlsSig, v.name);
  }
  assert.equal(inflateSig(VECTORS[0].alt), VECTORS[0].altJson);
  // The checks can fail: a wrong key fails both algorithms, a non-sig is reported as an error.
  assert.equal(npmCheck(OUR_SIGS[0], `${CASES[0].key}x`).valid, false);
  const [wrongKey, notASig] = py.controls;
  assert.deepEqual([wrongKey.valid, wrongKey.error], [false, null]);
  assert.equal(notASig.valid, false);
  assert.match(notASig.error, /\w+/);
});

// ---------------------------------------------------------------------------------------------
// Recorded vectors.

test("recorded vectors: every node and alt encoding verifies at now = time and decodes to the inputs", () => {
  for (const v of VECTORS) {
    for (const [kind, sig] of vectorSigs(v)) {
      const r = verifyAs(sig, v);
      assert.equal(r.valid, true, `${v.name} ${kind}: ${r.reason} ${r.message}`);
      assert.deepEqual(r.decoded, expectedDecoded(v), `${v.name} ${kind}`);
      assert.deepEqual(decodeUserSig(sig), expectedDecoded(v), `${v.name} ${kind}`);
      // Without an expected identifier any identifier is accepted.
      assert.equal(verifyAs(sig, v, { identifier: undefined }).valid, true);
      // The carried HMAC is the recorded one.
      const tlsSig = JSON.parse(inflateSig(sig))["TLS.sig"];
      assert.equal(tlsSig, v.tlsSig);
      assert.equal(Buffer.from(tlsSig, "base64").toString("hex"), v.hmac);
    }
  }
});

test("recorded vectors: our generator signs the same document with the same HMAC", () => {
  for (const v of VECTORS) {
    const sig = ours(v);
    assert.match(sig, /^[A-Za-z0-9*_-]+$/);
    // Same JSON as a map (key order and layout are free), hence the same TLS.sig.
    assert.deepEqual(JSON.parse(inflateSig(sig)), JSON.parse(v.nodeJson), v.name);
    // The string to sign, recomputed by hand: the key is the UTF-8 text, not hex-decoded.
    const content = `TLS.identifier:${v.identifier}\nTLS.sdkappid:${v.sdkappid}\nTLS.time:${v.time}\nTLS.expire:${v.expire}\n` +
      (v.userbuf ? `TLS.userbuf:${Buffer.from(v.userbuf, "hex").toString("base64")}\n` : "");
    assert.equal(createHmac("sha256", v.key).update(content).digest("hex"), v.hmac);
    assertOursAccepts(sig, v, "our");
  }
});

test("recorded vector 3: expiry boundary and mismatches; vector 1: valid until 1715552000", () => {
  const v = VECTORS[2];
  for (const [kind, sig] of vectorSigs(v)) {
    const outcome = (over) => {
      const r = verifyAs(sig, v, over);
      return r.valid ? ["valid"] : [r.reason, r.errorCode];
    };
    assert.deepEqual(outcome({ now: 1600000000 }), ["valid"], kind);
    assert.deepEqual(outcome({ now: 1600000001 }), ["valid"], `${kind}: still valid at now == time + expire`);
    assert.deepEqual(outcome({ now: 1600000002 }), ["expired", 70001], kind);
    assert.deepEqual(outcome({ secretKey: "K" }), ["bad-signature", 70009], kind);
    assert.deepEqual(outcome({ identifier: "user_01-b" }), ["identifier-mismatch", 70013], kind);
    assert.deepEqual(outcome({ sdkAppId: 20000002 }), ["sdkappid-mismatch", 70014], kind);
    // Refused sigs still say what they carry.
    assert.deepEqual(verifyAs(sig, v, { now: 1600000002 }).decoded, expectedDecoded(v));
  }
  const v1 = VECTORS[0];
  for (const [, sig] of vectorSigs(v1)) {
    assert.equal(verifyAs(sig, v1, { now: 1715552000 }).valid, true);
    assert.equal(verifyAs(sig, v1, { now: 1715552001 }).reason, "expired");
  }
});

// ---------------------------------------------------------------------------------------------
// Random inputs across the three implementations.

test(`random: sigs minted by npm tls-sig-api-v2 verify and decode with ours (seed ${SEED})`, () => {
  for (const i of CASES) {
    const sig = npmMint(i);
    assertOursAccepts(sig, i, "npm");
    // Expiry is inclusive of time + expire, whoever minted the sig.
    assert.equal(verifyAs(sig, i, { now: i.time + i.expire }).valid, true, show(i));
    assert.deepEqual(
      [verifyAs(sig, i, { now: i.time + i.expire + 1 }).reason, verifyAs(sig, i, { now: i.time + i.expire + 1 }).errorCode],
      ["expired", 70001],
    );
  }
});

test(`random: sigs minted by PyPI tls-sig-api-v2 verify and decode with ours (seed ${SEED})`, () => {
  const { cases } = python();
  assert.equal(cases.length, CASES.length);
  cases.forEach((sig, n) => assertOursAccepts(sig, CASES[n], "python"));
});

test(`random: our sigs decode and verify by the npm library's algorithm (seed ${SEED})`, () => {
  CASES.forEach((i, n) => {
    const { doc, valid } = npmCheck(OUR_SIGS[n], i.key);
    assert.equal(valid, true, `npm algorithm refused our sig for ${show(i)}, seed ${SEED}`);
    const npmSig = npmCheck(npmMint(i), i.key).doc["TLS.sig"];
    assert.deepEqual(doc, {
      "TLS.ver": "2.0", "TLS.identifier": i.identifier, "TLS.sdkappid": i.sdkappid, "TLS.time": i.time, "TLS.expire": i.expire,
      ...(i.userbuf != null ? { "TLS.userbuf": Buffer.from(i.userbuf, "hex").toString("base64") } : {}),
      "TLS.sig": npmSig, // the same HMAC as the official generator's for the same inputs
    });
    assert.equal(npmCheck(OUR_SIGS[n], `${i.key} `).valid, false, "a wrong key fails their check too");
  });
});

test(`random: our sigs decode and verify by the PyPI library's algorithm (seed ${SEED})`, () => {
  const { checkedCases, cases } = python();
  checkedCases.forEach((r, n) => {
    const i = CASES[n];
    assert.equal(r.error, null, `python could not read our sig for ${show(i)}: ${r.error}`);
    assert.equal(r.valid, true, `python algorithm refused our sig for ${show(i)}, seed ${SEED}`);
    assert.deepEqual(
      [r.doc["TLS.identifier"], r.doc["TLS.sdkappid"], r.doc["TLS.time"], r.doc["TLS.expire"], r.doc["TLS.userbuf"]],
      [i.identifier, i.sdkappid, i.time, i.expire, i.userbuf != null ? Buffer.from(i.userbuf, "hex").toString("base64") : undefined],
    );
    assert.equal(r.doc["TLS.sig"], JSON.parse(inflateSig(cases[n]))["TLS.sig"], "the same HMAC as the Python generator's");
  });
  python().checkedVectors.forEach((r, n) => {
    assert.deepEqual([r.error, r.valid, r.doc["TLS.sig"]], [null, true, VECTORS[n].tlsSig], VECTORS[n].name);
  });
});

// ---------------------------------------------------------------------------------------------
// Tampering.

const refusal = (r) => (r.valid ? ["valid"] : [r.reason, r.errorCode]);
const CODES = { malformed: 70003, "bad-signature": 70009, "identifier-mismatch": 70013, "sdkappid-mismatch": 70014, expired: 70001 };

/** Sigs to tamper with, each with the inputs it verifies under. */
function tamperSubjects() {
  return [
    ["ours", ours(TAMPER), TAMPER],
    ["npm", npmMint(TAMPER), TAMPER],
    ["python", python().tamper, TAMPER],
    ...VECTORS.flatMap((v) => vectorSigs(v).map(([kind, sig]) => [`${v.name} ${kind}`, sig, v])),
  ];
}

test("tampered: every byte flip inside the compressed payload is refused (malformed or bad-signature)", (t) => {
  let refused = 0;
  let sameDocument = 0;
  for (const [who, sig, i] of tamperSubjects()) {
    const original = inflateSig(sig);
    const bytes = sigBytes(sig);
    for (let pos = 0; pos < bytes.length; pos++) {
      for (const mask of [0x01, 0x08, 0x40, 0x80, 0xff]) {
        const b = Buffer.from(bytes);
        b[pos] ^= mask;
        // Re-encoded, so the tampered sig is always valid text in the UserSig alphabet.
        const tampered = bytesToSig(b);
        let inflated = null;
        try { inflated = inflateSync(b).toString("utf8"); } catch { /* zlib refuses it too */ }
        // Flipping an unused bit (the padding after the last deflate block) changes nothing: it is
        // the very same signed document, which zlib itself accepts; not tampering.
        if (inflated === original) { sameDocument++; continue; }
        const r = verifyAs(tampered, i);
        const where = `${who}: byte ${pos}/${bytes.length} ^ 0x${mask.toString(16)}`;
        assert.equal(r.valid, false, `${where} accepted`);
        assert.ok(["malformed", "bad-signature"].includes(r.reason), `${where}: ${r.reason}`);
        assert.equal(r.errorCode, CODES[r.reason], where);
        // The zlib header and the Adler-32 trailer are checked (RFC 1950 framing).
        if (pos < 2 || pos >= bytes.length - 4) assert.equal(r.reason, "malformed", where);
        refused++;
      }
    }
  }
  t.diagnostic(`${refused} flips refused, ${sameDocument} left the document unchanged`);
  assert.ok(refused > 5000 && sameDocument < refused / 50, `${refused} refused, ${sameDocument} unchanged`);
});

test("tampered: every one-character substitution in the sig text is refused", () => {
  const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-";
  let refused = 0;
  for (const [who, sig, i] of tamperSubjects()) {
    const original = inflateSig(sig);
    for (let pos = 0; pos < sig.length; pos++) {
      for (const step of [1, 17, 40]) {
        const c = sig[pos];
        const replacement = c === "_" ? "A" : ALPHABET[(ALPHABET.indexOf(c) + step) % 64];
        const tampered = sig.slice(0, pos) + replacement + sig.slice(pos + 1);
        let same = false;
        try { same = inflateSig(tampered) === original; } catch { /* refused by zlib too */ }
        if (same) continue;
        const r = verifyAs(tampered, i);
        assert.equal(r.valid, false, `${who}: '${c}' -> '${replacement}' at ${pos} accepted`);
        assert.ok(["malformed", "bad-signature"].includes(r.reason), `${who} at ${pos}: ${r.reason}`);
        refused++;
      }
    }
  }
  assert.ok(refused > 3000, `only ${refused} substitutions checked`);
});

test("tampered: re-packed documents keep their TLS.sig and are refused as bad-signature", () => {
  for (const [who, sig, i] of tamperSubjects()) {
    const doc = JSON.parse(inflateSig(sig));
    const forge = (changes, remove = []) => {
      const d = { ...doc, ...changes };
      for (const k of remove) delete d[k];
      return packDoc(d);
    };
    const resign = (d, key) => {
      const content = `TLS.identifier:${d["TLS.identifier"]}\nTLS.sdkappid:${d["TLS.sdkappid"]}\nTLS.time:${d["TLS.time"]}\nTLS.expire:${d["TLS.expire"]}\n` +
        (d["TLS.userbuf"] != null ? `TLS.userbuf:${d["TLS.userbuf"]}\n` : "");
      return { ...d, "TLS.sig": createHmac("sha256", key).update(content).digest("base64") };
    };
    const bad = ["bad-signature", 70009];
    // Positive controls: the same document re-packed in other layouts still verifies.
    assert.deepEqual(refusal(verifyAs(packDoc(doc, 0), i)), ["valid"], `${who}: level 0`);
    assert.deepEqual(refusal(verifyAs(packDoc(JSON.stringify(doc, null, 1).replace(/\//g, "\\/")), i)), ["valid"], `${who}: escaped /`);
    assert.deepEqual(refusal(verifyAs(packDoc(resign(doc, i.key)), i)), ["valid"], `${who}: re-signed with the right key`);
    // A changed identifier with the original TLS.sig.
    const mallory = forge({ "TLS.identifier": "mallory" });
    assert.deepEqual(refusal(verifyAs(mallory, i, { identifier: "mallory" })), bad, `${who}: identifier changed`);
    assert.deepEqual(refusal(verifyAs(mallory, i)), ["identifier-mismatch", 70013], who);
    assert.deepEqual(refusal(verifyAs(mallory, i, { identifier: undefined })), bad, who);
    // Any other signed field changed, added or removed.
    assert.deepEqual(refusal(verifyAs(forge({ "TLS.time": i.time - 1 }), i)), bad, `${who}: time`);
    assert.deepEqual(refusal(verifyAs(forge({ "TLS.expire": i.expire + 1 }), i)), bad, `${who}: expire`);
    assert.deepEqual(refusal(verifyAs(forge({}, ["TLS.expire"]), i)), bad, `${who}: expire removed`);
    assert.deepEqual(refusal(verifyAs(forge({ "TLS.sdkappid": i.sdkappid + 1 }), i, { sdkAppId: i.sdkappid + 1 })), bad, `${who}: sdkappid`);
    if (doc["TLS.userbuf"] == null) {
      assert.deepEqual(refusal(verifyAs(forge({ "TLS.userbuf": "AAEC/w==" }), i)), bad, `${who}: userbuf added`);
    } else {
      assert.deepEqual(refusal(verifyAs(forge({}, ["TLS.userbuf"]), i)), bad, `${who}: userbuf removed`);
      assert.deepEqual(refusal(verifyAs(forge({ "TLS.userbuf": "AAEC/g==" }), i)), bad, `${who}: userbuf changed`);
    }
    const s = doc["TLS.sig"];
    const flipped = s.slice(0, 10) + (s[10] === "A" ? "B" : "A") + s.slice(11);
    assert.deepEqual(refusal(verifyAs(forge({ "TLS.sig": flipped }), i)), bad, `${who}: TLS.sig changed`);
    assert.deepEqual(refusal(verifyAs(forge({ "TLS.sig": s.slice(0, 20) }), i)), bad, `${who}: TLS.sig truncated`);
    assert.deepEqual(refusal(verifyAs(packDoc(resign(doc, `${i.key}!`)), i)), bad, `${who}: re-signed with another key`);
  }
});

test("refused: wrong key, identifier, SDKAppID and expiry give the server's reason and code", () => {
  const messages = [];
  for (const [who, sig, i] of tamperSubjects()) {
    const cases = [
      [{ secretKey: `${i.key}x` }, "bad-signature", 70009],
      [{ secretKey: i.key.toUpperCase() === i.key ? i.key.toLowerCase() : i.key.toUpperCase() }, "bad-signature", 70009],
      [{ identifier: `${i.identifier}_` }, "identifier-mismatch", 70013],
      [{ identifier: i.identifier.toUpperCase() }, "identifier-mismatch", 70013], // case-sensitive
      [{ sdkAppId: i.sdkappid + 1 }, "sdkappid-mismatch", 70014],
      [{ now: i.time + i.expire + 1 }, "expired", 70001],
      [{ now: i.time + i.expire + 10 * 365 * 86400 }, "expired", 70001],
    ];
    for (const [over, reason, code] of cases) {
      const r = verifyAs(sig, i, over);
      assert.deepEqual([r.valid, r.reason, r.errorCode], [false, reason, code], `${who} ${JSON.stringify(over)}`);
      assert.equal(typeof r.message, "string");
      assert.deepEqual(r.decoded, expectedDecoded(i), "a refused sig still says what it carries");
      messages.push([r.message, over.secretKey ?? i.key, sig]);
    }
    const m = verifyAs("garbage", i);
    assert.deepEqual([m.valid, m.reason, m.errorCode, m.decoded], [false, "malformed", 70003, undefined]);
  }
  for (const [message, key, sig] of messages) {
    assert.ok(!message.includes(key), `a refusal message contains the secret key: ${message}`);
    assert.ok(!message.includes(sig), "a refusal message contains the sig");
  }
});

// ---------------------------------------------------------------------------------------------
// Bad input from JS.

const KEY = "S3cr3t-k3y-never-in-messages-7f3a";
const GOOD = { sdkAppId: 1400000000, secretKey: KEY, identifier: "administrator" };
const GOOD_VERIFY = { sdkAppId: 1400000000, secretKey: KEY, identifier: "administrator" };
const SEEN_MESSAGES = [];

/** The instance still works: mint, decode and verify a sig. */
function assertAlive(after) {
  const sig = genUserSig(GOOD);
  assert.equal(decodeUserSig(sig).identifier, "administrator", `instance broken after ${after}`);
  assert.equal(verifyUserSig(sig, GOOD_VERIFY).valid, true, `instance broken after ${after}`);
}

/** `fn` throws a ValidationError whose violations are exactly `expected` ([path, rule] pairs). */
function assertViolations(fn, expected, label) {
  let thrown;
  assert.throws(fn, (e) => { thrown = e; return true; }, label);
  assert.ok(thrown instanceof Error, `${label}: not an Error: ${thrown}`);
  assert.equal(thrown.name, "ValidationError", label);
  assert.ok(isValidationError(thrown) && !isUserSigError(thrown), label);
  assert.ok(Array.isArray(thrown.violations), label);
  assert.deepEqual(thrown.violations.map((v) => [v.path, v.rule]), expected, `${label}: ${thrown.message}`);
  for (const v of thrown.violations) {
    assert.ok(v.message.includes(v.path), `${label}: the message names the field: ${v.message}`);
    assert.ok(thrown.message.includes(v.message), `${label}: the error message lists every violation`);
  }
  SEEN_MESSAGES.push(thrown.message, ...thrown.violations.map((v) => v.message));
  assertAlive(label);
  return thrown;
}

test("bad genUserSig options throw a ValidationError naming each field; the instance lives on", () => {
  const without = (k) => { const o = { ...GOOD }; delete o[k]; return o; };
  const cases = [
    ["identifier missing", without("identifier"), [["identifier", "required"]]],
    ["identifier undefined", { ...GOOD, identifier: undefined }, [["identifier", "required"]]],
    ["identifier null", { ...GOOD, identifier: null }, [["identifier", "required"]]],
    ["identifier number", { ...GOOD, identifier: 42 }, [["identifier", "type"]]],
    ["identifier object", { ...GOOD, identifier: { id: "a" } }, [["identifier", "type"]]],
    ["identifier array", { ...GOOD, identifier: ["a"] }, [["identifier", "type"]]],
    ["identifier boolean", { ...GOOD, identifier: true }, [["identifier", "type"]]],
    ["identifier empty", { ...GOOD, identifier: "" }, [["identifier", "non-empty"]]],
    ["identifier 33 bytes", { ...GOOD, identifier: "a".repeat(33) }, [["identifier", "max-bytes"]]],
    ["identifier 11 CJK = 33 bytes", { ...GOOD, identifier: "中".repeat(11) }, [["identifier", "max-bytes"]]],
    ["identifier 9 emoji = 36 bytes", { ...GOOD, identifier: "😀".repeat(9) }, [["identifier", "max-bytes"]]],
    ["expireSeconds negative", { ...GOOD, expireSeconds: -1 }, [["expireSeconds", "integer-range"]]],
    ["expireSeconds zero", { ...GOOD, expireSeconds: 0 }, [["expireSeconds", "integer-range"]]],
    ["expireSeconds non-integer", { ...GOOD, expireSeconds: 1.5 }, [["expireSeconds", "integer-range"]]],
    ["expireSeconds over 50 years", { ...GOOD, expireSeconds: MAX_EXPIRE + 1 }, [["expireSeconds", "integer-range"]]],
    ["expireSeconds NaN", { ...GOOD, expireSeconds: NaN }, [["expireSeconds", "type"]]],
    ["expireSeconds Infinity", { ...GOOD, expireSeconds: Infinity }, [["expireSeconds", "type"]]],
    ["expireSeconds string", { ...GOOD, expireSeconds: "86400" }, [["expireSeconds", "type"]]],
    ["secretKey empty", { ...GOOD, secretKey: "" }, [["secretKey", "non-empty"]]],
    ["secretKey missing", without("secretKey"), [["secretKey", "required"]]],
    ["secretKey number", { ...GOOD, secretKey: 123456 }, [["secretKey", "type"]]],
    ["sdkAppId missing", without("sdkAppId"), [["sdkAppId", "required"]]],
    ["sdkAppId zero", { ...GOOD, sdkAppId: 0 }, [["sdkAppId", "integer-range"]]],
    ["sdkAppId string", { ...GOOD, sdkAppId: "1400000000" }, [["sdkAppId", "type"]]],
    ["time negative", { ...GOOD, time: -1 }, [["time", "integer-range"]]],
    ["time non-integer", { ...GOOD, time: 1700000000.5 }, [["time", "integer-range"]]],
    ["userBuf byte out of range", { ...GOOD, userBuf: [1, 256] }, [["userBuf[1]", "integer-range"]]],
    ["userBuf string", { ...GOOD, userBuf: "abc" }, [["userBuf", "type"]]],
    ["unknown field", { ...GOOD, expire: 86400 }, [["expire", "unknown-field"]]],
  ];
  for (const [label, options, expected] of cases) assertViolations(() => genUserSig(options), expected, label);
});

test("violations list every problem at once, with paths", () => {
  const e = assertViolations(
    () => genUserSig({ sdkAppId: "x", secretKey: "", identifier: 1, expireSeconds: 0, time: -1, userBuf: [300, "a"], expires: 1 }),
    [
      ["expires", "unknown-field"],
      ["sdkAppId", "type"],
      ["secretKey", "non-empty"],
      ["identifier", "type"],
      ["expireSeconds", "integer-range"],
      ["time", "integer-range"],
      ["userBuf[0]", "integer-range"],
      ["userBuf[1]", "type"],
    ],
    "all at once",
  );
  assert.match(e.message, /^8 violations: /);
  assertViolations(() => verifyUserSig(5, { sdkAppId: "x", identifier: 7, now: -1 }), [
    ["sig", "type"], ["sdkAppId", "type"], ["secretKey", "required"], ["identifier", "type"], ["now", "integer-range"],
  ], "verify: sig and options together");
});

test("non-object options, bad verify options and non-string sigs throw ValidationErrors", () => {
  const sig = genUserSig(GOOD);
  for (const notObject of [undefined, null, 5, "options", true, [1]]) {
    const e = assertViolations(() => genUserSig(notObject), [["input", "type"]], `genUserSig(${JSON.stringify(notObject)})`);
    assert.match(e.message, /must be an object/);
    assertViolations(() => verifyUserSig(sig, notObject), [["input", "type"]], `verifyUserSig(sig, ${JSON.stringify(notObject)})`);
  }
  const verifyCases = [
    ["sdkAppId missing", { secretKey: KEY }, [["sdkAppId", "required"]]],
    ["secretKey empty", { ...GOOD_VERIFY, secretKey: "" }, [["secretKey", "non-empty"]]],
    ["identifier empty", { ...GOOD_VERIFY, identifier: "" }, [["identifier", "non-empty"]]],
    ["identifier number", { ...GOOD_VERIFY, identifier: 5 }, [["identifier", "type"]]],
    ["now negative", { ...GOOD_VERIFY, now: -1 }, [["now", "integer-range"]]],
    ["now string", { ...GOOD_VERIFY, now: "now" }, [["now", "type"]]],
    ["now NaN", { ...GOOD_VERIFY, now: NaN }, [["now", "type"]]],
  ];
  for (const [label, options, expected] of verifyCases) assertViolations(() => verifyUserSig(sig, options), expected, `verify: ${label}`);
  for (const notString of [null, undefined, 12345, {}, ["sig"], new String(sig), Buffer.from(sig)]) {
    const label = `non-string sig ${Object.prototype.toString.call(notString)}`;
    const d = assertViolations(() => decodeUserSig(notString), [["sig", "type"]], `decodeUserSig: ${label}`);
    assert.match(d.message, /sig must be a string/);
    assertViolations(() => verifyUserSig(notString, GOOD_VERIFY), [["sig", "type"]], `verifyUserSig: ${label}`);
  }
  assert.throws(() => verifyUserSig(null, GOOD_VERIFY), /sig must be a string, got null/);
});

test("garbage sigs: decodeUserSig throws UserSigError 70003, verifyUserSig answers malformed", () => {
  const garbage = [
    "", "   ", "garbage!", "eJ$$", "a", "AAAA", "eJyrVgrxCdYrSy1S",
    packDoc("not json"), packDoc("[]"), packDoc("{}"), packDoc('"TLS.sig"'),
    packDoc({ "TLS.ver": "2.0", "TLS.identifier": "a", "TLS.sdkappid": 1, "TLS.time": 1, "TLS.expire": 1 }), // no TLS.sig
    packDoc({ "TLS.identifier": "a", "TLS.sdkappid": 1, "TLS.time": "soon", "TLS.sig": "AAAA" }),
    packDoc({ "TLS.identifier": 5, "TLS.sdkappid": 1, "TLS.time": 1, "TLS.sig": "AAAA" }),
    packDoc({ "TLS.identifier": "a", "TLS.sdkappid": -1, "TLS.time": 1, "TLS.sig": "AAAA" }),
    bytesToSig(Buffer.from("just some bytes, no zlib")),
    "A".repeat(100_000),
  ];
  for (const sig of garbage) {
    const label = JSON.stringify(sig.slice(0, 40));
    let thrown;
    assert.throws(() => decodeUserSig(sig), (e) => { thrown = e; return true; }, label);
    assert.ok(thrown instanceof Error, label);
    assert.ok(isUserSigError(thrown) && !isValidationError(thrown), `${label}: ${thrown}`);
    assert.deepEqual([thrown.name, thrown.reason, thrown.errorCode], ["UserSigError", "malformed", 70003], label);
    assert.match(thrown.message, /malformed/);
    SEEN_MESSAGES.push(thrown.message);
    const r = verifyUserSig(sig, GOOD_VERIFY);
    assert.deepEqual([r.valid, r.reason, r.errorCode], [false, "malformed", 70003], label);
    SEEN_MESSAGES.push(r.message);
    assertAlive(label);
  }
});

test("the secret key never appears in an error or refusal message", () => {
  // Runs after the tests above (node:test runs a file's tests in order) and checks all they saw.
  const sig = genUserSig({ ...GOOD, identifier: "someone" });
  for (const over of [{ secretKey: `${KEY}-other` }, { identifier: "else" }, { sdkAppId: 1 }, { now: 2 ** 40 }]) {
    SEEN_MESSAGES.push(verifyUserSig(sig, { ...GOOD_VERIFY, ...over }).message);
  }
  assert.ok(SEEN_MESSAGES.length > 100, `only ${SEEN_MESSAGES.length} messages seen`);
  for (const m of SEEN_MESSAGES) {
    assert.equal(typeof m, "string");
    assert.ok(m.length > 10, `message too short to be clear: ${m}`);
    assert.ok(!m.includes(KEY) && !m.includes(KEY.slice(0, 12)), `message contains the secret key: ${m}`);
  }
});

// A self-referencing or very deeply nested options object must not overflow the wasm stack (which
// would kill the instance for the rest of the process). Run in a child process so that a
// regression cannot take this file's instance down.
test("cyclic or deeply nested options throw an Error and leave the instance working", () => {
  const script = `
    import { genUserSig, verifyUserSig } from ${JSON.stringify(import.meta.resolve("tim-sns"))};
    const good = { sdkAppId: 1400000000, secretKey: "k", identifier: "admin" };
    const cyclic = { ...good }; cyclic.self = cyclic;
    let nested = []; for (let i = 0; i < 100000; i++) nested = [nested];
    const out = [];
    for (const [name, call] of [
      ["cyclic genUserSig options", () => genUserSig(cyclic)],
      ["cyclic verifyUserSig options", () => verifyUserSig("x", cyclic)],
      ["100000-deep userBuf", () => genUserSig({ ...good, userBuf: nested })],
    ]) {
      let error = null, alive = false;
      try { call(); } catch (e) { error = e instanceof Error ? e.name + ": " + e.message.slice(0, 80) : String(e); }
      try { alive = verifyUserSig(genUserSig(good), good).valid; } catch {}
      out.push({ name, error, alive });
    }
    console.log(JSON.stringify(out));`;
  const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script]).toString());
  for (const { name, error, alive } of out) {
    assert.ok(error && !/^RangeError|^RuntimeError/.test(error), `${name}: ${error}`);
    assert.equal(alive, true, `${name}: the instance no longer works`);
  }
});
