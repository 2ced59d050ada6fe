// The harness of tests/interop/usersig.test.mjs: Tencent's official UserSig libraries driven
// from their registries (npm tls-sig-api-v2@1.0.2, a devDependency; PyPI tls-sig-api-v2==1.1 in
// the venv target/pyenv, made by scripts/setup.sh), seeded random inputs, the recorded vectors,
// and helpers to pack, tamper with and check sigs.
//
// Random cases come from a seeded PRNG with a fixed default seed (every run checks the same
// cases); TIM_SNS_SEED=<seed> explores others and TIM_SNS_CASES=<n> changes their number
// (default 200). Not a test file itself: node --test picks only *.test.* files.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { deflateSync, inflateSync } from "node:zlib";
import { genUserSig, decodeUserSig, verifyUserSig, isUserSigError, isValidationError } from "tim-sns";

const require = createRequire(import.meta.url);
export const OfficialApi = require("tls-sig-api-v2").Api;
export const OFFICIAL_NPM_VERSION = require("tls-sig-api-v2/package.json").version;

export const REPO = new URL("../../", import.meta.url);
export const PYTHON_REL = "target/pyenv/bin/python";
export const PYTHON = fileURLToPath(new URL(PYTHON_REL, REPO));
export const PYSIG = fileURLToPath(new URL("./pysig.py", import.meta.url));

// ---------------------------------------------------------------------------------------------
// Seeded PRNG (mulberry32).

// A fixed seed by default, so that every run checks the same cases; TIM_SNS_SEED explores others.
export const SEED = (Number.parseInt(process.env.TIM_SNS_SEED ?? "", 10) || 20261207) >>> 0;
export const N_CASES = Number.parseInt(process.env.TIM_SNS_CASES ?? "", 10) || 200;
console.log(`usersig interop: seed ${SEED}, ${N_CASES} cases (replay with TIM_SNS_SEED=${SEED})`);
let state = SEED;
export const rand = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
};
export const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
export const pick = (s) => s[int(0, s.length - 1)];
export const times = (n, f) => Array.from({ length: n }, f);

export const SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
export const PRINTABLE = times(95, (_, i) => String.fromCharCode(32 + i)).join("");
// 2-, 3- and 4-byte UTF-8 (the 4-byte ones are surrogate pairs in JS and \ud83d\ude00-style
// escapes in the Python library's ASCII-only JSON).
export const MULTI = ["é", "ß", "ж", "Ω", "ع", "中", "文", "日", "한", "€", "😀", "🚀", "𝄞", "🀄"];
export const utf8Len = (s) => Buffer.byteLength(s, "utf8");
export const MAX_EXPIRE = 50 * 365 * 86400; // 1576800000

export function randomIdentifier() {
  const style = int(0, 9);
  if (style < 5) return times(int(1, 32), () => pick(SAFE)).join("");
  if (style < 7) return times(int(1, 32), () => pick(PRINTABLE)).join("");
  // Multi-byte UTF-8 within 32 bytes, mixed with ASCII.
  const budget = int(2, 32);
  let s = "";
  for (;;) {
    const c = rand() < 0.25 ? pick(SAFE) : pick(MULTI);
    if (utf8Len(s + c) > budget) break;
    s += c;
  }
  if (!/[^\x00-\x7f]/.test(s)) s = (s + "é").slice(-30);
  return s;
}

export function randomKey() {
  const style = int(0, 9);
  const hex = () => times(64, () => pick("0123456789abcdef")).join("");
  if (style < 4) return hex();
  if (style < 5) return hex().toUpperCase(); // used as text, never hex-decoded
  if (style < 8) return times(int(1, 64), () => pick(PRINTABLE)).join("");
  if (style < 9) return times(int(65, 200), () => pick(PRINTABLE)).join(""); // longer than the HMAC block
  return times(int(1, 20), () => pick(MULTI) + pick(SAFE)).join("");
}

export function randomInputs(n) {
  const now = Math.floor(Date.now() / 1000);
  return times(n, () => {
    const r = rand();
    const sdkappid = r < 0.75 ? int(1400000000, 1499999999) : r < 0.9 ? int(1, 99999999) : int(1, 9999);
    const e = rand();
    const expire = e < 0.05 ? 1 : e < 0.1 ? MAX_EXPIRE : int(1, MAX_EXPIRE);
    const i = { sdkappid, key: randomKey(), identifier: randomIdentifier(), time: now + int(-30 * 86400, 30 * 86400), expire };
    // A few cases carry a userbuf (TRTC's PrivateMapKey; IM never uses it), sometimes empty.
    if (rand() < 0.15) i.userbuf = Buffer.from(times(rand() < 0.1 ? 0 : int(1, 48), () => int(0, 255))).toString("hex");
    return i;
  });
}

// ---------------------------------------------------------------------------------------------
// The UserSig text encoding and the three implementations.

export const toStd = (s) => s.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "=");
export const fromStd = (s) => s.replace(/\+/g, "*").replace(/\//g, "-").replace(/=/g, "_");
export const sigBytes = (sig) => Buffer.from(toStd(sig), "base64");
export const bytesToSig = (bytes) => fromStd(Buffer.from(bytes).toString("base64"));
export const inflateSig = (sig) => inflateSync(sigBytes(sig)).toString("utf8");
/** Packs a document (object or exact JSON text) into a UserSig the way the official libraries do. */
export const packDoc = (doc, level = 6) => bytesToSig(deflateSync(Buffer.from(typeof doc === "string" ? doc : JSON.stringify(doc)), { level }));

export const ours = (i) =>
  genUserSig({
    sdkAppId: i.sdkappid, secretKey: i.key, identifier: i.identifier, time: i.time, expireSeconds: i.expire,
    ...(i.userbuf != null ? { userBuf: new Uint8Array(Buffer.from(i.userbuf, "hex")) } : {}),
  });

export function withClock(seconds, fn) {
  const real = Date.now;
  Date.now = () => seconds * 1000 + 999; // the library floors: any millisecond of the second works
  try { return fn(); } finally { Date.now = real; }
}
export const npmMint = (i) =>
  withClock(i.time, () => {
    const api = new OfficialApi(i.sdkappid, i.key);
    return i.userbuf != null ? api.genSig(i.identifier, i.expire, Buffer.from(i.userbuf, "hex")) : api.genUserSig(i.identifier, i.expire);
  });

// The npm library's algorithm applied to a sig: undo the substitution, inflate, parse, recompute
// TLS.sig with the library's own _hmacsha256 over the decoded fields, compare.
export function npmCheck(sig, key) {
  const doc = JSON.parse(inflateSig(sig));
  const api = new OfficialApi(doc["TLS.sdkappid"], key);
  const expected = api._hmacsha256(doc["TLS.identifier"], doc["TLS.time"], doc["TLS.expire"], doc["TLS.userbuf"] ?? null);
  return { doc, valid: expected === doc["TLS.sig"] };
}

// The Python library, through pysig.py: one interpreter per batch.
export function runPython(request) {
  if (!existsSync(PYTHON)) {
    throw new Error(
      `${PYTHON_REL} is missing: the PyPI interop tests need the official Python library. Create it with ` +
        "`python3 -m venv target/pyenv && target/pyenv/bin/pip install tls-sig-api-v2==1.1` (scripts/setup.sh does this).",
    );
  }
  let out;
  try {
    out = execFileSync(PYTHON, [PYSIG], { input: JSON.stringify(request), maxBuffer: 256 << 20, stdio: ["pipe", "pipe", "pipe"] });
  } catch (e) {
    throw new Error(`tests/interop/pysig.py failed (exit ${e.status}): ${e.stderr?.toString() ?? e.message}`);
  }
  return JSON.parse(out.toString("utf8"));
}

export const expectedDecoded = (i) => ({
  version: "2.0", identifier: i.identifier, sdkAppId: i.sdkappid, time: i.time, expire: i.expire,
  expiresAt: i.time + i.expire, hasUserBuf: i.userbuf != null,
});
export const verifyAs = (sig, i, over = {}) =>
  verifyUserSig(sig, { sdkAppId: i.sdkappid, secretKey: i.key, identifier: i.identifier, now: i.time, ...over });
export const show = (i) => JSON.stringify({ ...i, key: `<${utf8Len(i.key)} bytes>` });

/** Ours accepts `sig` for `i` (identifier and SDKAppID checked) and reads back exactly the inputs. */
export function assertOursAccepts(sig, i, who) {
  const r = verifyAs(sig, i);
  assert.equal(r.valid, true, `${who} sig refused (${r.reason}: ${r.message}) for ${show(i)}, seed ${SEED}`);
  assert.deepEqual(r.decoded, expectedDecoded(i), `${who} sig decoded wrongly for ${show(i)}`);
  assert.deepEqual(decodeUserSig(sig), expectedDecoded(i));
}

// ---------------------------------------------------------------------------------------------
// Recorded test vectors (produced with the official npm library, clock fixed; "alt" is
// the official Python library's encoding of the same sig).

export const V1_KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
export const VECTORS = [
  {
    name: "vector 1", sdkappid: 1400000000, key: V1_KEY, identifier: "xiaojun", time: 1700000000, expire: 15552000,
    hmac: "2ef03b77f230ee04ac9ec92f5730433ce0820dbb8d0b0e061f04c2d1b8a9f81e",
    tlsSig: "LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=",
    nodeJson: '{"TLS.ver":"2.0","TLS.identifier":"xiaojun","TLS.sdkappid":1400000000,"TLS.time":1700000000,"TLS.expire":15552000,"TLS.sig":"LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4="}',
    altJson: '{"TLS.ver": "2.0", "TLS.identifier": "xiaojun", "TLS.sdkappid": 1400000000, "TLS.expire": 15552000, "TLS.time": 1700000000, "TLS.sig": "LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4="}',
    node: "eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwhWZiflZpXlQqeKU7MSCgswUJStDEwMogMiUZOamKlkZmqOKplYUZBaBxE1NTY3gosWZ6UpWSj5ljuYp*p7l5unBxXnF2WVhVU4uAf7Ozi5JpX7O5SbuHuUhzgZJmQXaTia2SrUAohcx8g__",
    alt: "eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkKjIT87NK82CSxSnZiQUFmSlAKUMTAyiAyqVWFGQWpYJkTE1NjRDiJZm5YFFzNPXFmekgG3zKHM1T9D3LzdODi-OKs8vCqpxcAvydnV2SSv2cy03cPcpDnA2SMgu0nUxslWoBHdYzUg__",
  },
  {
    name: "vector 2", sdkappid: 1400123456, key: "secret-key-for-tests", identifier: "administrator", time: 1735689600, expire: 86400,
    hmac: "aab7e8b2fdefa1b0e0d2dc44378955a321f7385c803f9701ea890280a58080f3",
    tlsSig: "qrfosv3vobDg0txEN4lVoyH3OFyAP5cB6okCgKWAgPM=",
    nodeJson: '{"TLS.ver":"2.0","TLS.identifier":"administrator","TLS.sdkappid":1400123456,"TLS.time":1735689600,"TLS.expire":86400,"TLS.sig":"qrfosv3vobDg0txEN4lVoyH3OFyAP5cB6okCgKWAgPM="}',
    node: "eJw1yl0LgjAYhuH-8h6HTDeXDTqwL4K*hKKOrc3xYjrbhijRfw*0Dp-rud9w2Z*DVlkQEAUEJsNGqWqPBQ6cywprdN7m3thf4GSZNw1KECEjJIwoi-n4eKwUiHBKY57MOCGjqq5Bq0AknP3JoQYBL1sY19LW3Fea*G59ZM*r6bf0tOnTLH4suCmXendLdXaYw*cL5RA02Q__",
    alt: "eJw9zV0LgjAYhuG-IjsOmU6XBR3YF0FfQmHH1uZ4MZ1tYyjRf0-LOr3uB54nOu9OruUKTR3kuxiNnI8A45WBHL4hYyVUoI3KjFS-iWZFVtfAuoEXYOz5JAjp0HhTg*JdiWiXBjRQ9uSNSUijCf27BtGfPFQutSVWXpcCm2Z1CO6pbDfkuG7jJLzNqSwWYnuJRbKfodcbdBY2OQ__",
  },
  {
    name: "vector 3", sdkappid: 20000001, key: "k", identifier: "user_01-a", time: 1600000000, expire: 1,
    hmac: "8cb76b422486b053b6b28e8677427eecb535efbe29caac9457dc0e63b85a064f",
    tlsSig: "jLdrQiSGsFO2so6Gd0J+7LU1774pyqyUV9wOY7haBk8=",
    nodeJson: '{"TLS.ver":"2.0","TLS.identifier":"user_01-a","TLS.sdkappid":20000001,"TLS.time":1600000000,"TLS.expire":1,"TLS.sig":"jLdrQiSGsFO2so6Gd0J+7LU1774pyqyUV9wOY7haBk8="}',
    node: "eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwqXFqUXxBoa6iVDJ4pTsxIKCzBQlKyMDMDCEiJdk5qYqWRmaGUABRDS1oiCzCCQO1ZyZrmSllOWTUhSYGexe7OZvVJxv5p5i4KVt7hNqaG5uUlBZWBkaZlnuH2mekeiUbWGrVAsAPxwv9w__",
    alt: "eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkSotTi*INDHUTYdLFKdmJBQWZKUBJIwMwMITKpFYUZBalAsVhAiWZuWCumQEUwIzITAcZneWTUhSYGexe7OZvVJxv5p5i4KVt7hNqaG5uUlBZWBkaZlnuH2mekeiUbWGrVAsAtDkxVw__",
  },
  {
    name: "vector 4 (userbuf 00 01 02 ff)", sdkappid: 1400000000, key: V1_KEY, identifier: "xiaojun", time: 1700000000, expire: 3600, userbuf: "000102ff",
    hmac: "ee49627023f52aa3061eb128e2cd4eea690277cab249d748358580aea2120b72",
    tlsSig: "7klicCP1KqMGHrEo4s1O6mkCd8qySddINYWArqISC3I=",
    nodeJson: '{"TLS.ver":"2.0","TLS.identifier":"xiaojun","TLS.sdkappid":1400000000,"TLS.time":1700000000,"TLS.expire":3600,"TLS.userbuf":"AAEC/w==","TLS.sig":"7klicCP1KqMGHrEo4s1O6mkCd8qySddINYWArqISC3I="}',
    node: "eJxVjF0LgjAYRv-Lex3mUjQGXsiQGn3CgujS2ow382PTlRH998D0oufunAPPGw5r4TyUAQozx4VJzyhV2WKGve4wrW62HFIj87SuUQIlvjvsV1osFFAS-lvV1WgUUC8YjW2UOdsMKMRxwqbPKBqv8QoUwvyOF7YnK71ZLE1S*Q3ZBUXO5Fy-hJR8ezrGRnPBPB7B5wv6Xzhr",
  },
];
export const vectorSigs = (v) => [["node", v.node], ...(v.alt ? [["alt", v.alt]] : [])];

// ---------------------------------------------------------------------------------------------
// Inputs, and the one Python batch for the whole file (run lazily, so that a missing venv fails
// only the tests that need Python, with the message above).

export const CASES = randomInputs(N_CASES);
export const OUR_SIGS = CASES.map(ours);
export const TAMPER = { sdkappid: 1400000000, key: "tamper-key-0123456789", identifier: "administrator", time: 1700000000, expire: 86400 };

let pyAnswer;
export function python() {
  pyAnswer ??= runPython({
    mint: [...CASES, ...VECTORS, TAMPER],
    check: [
      ...CASES.map((i, n) => ({ sig: OUR_SIGS[n], key: i.key })),
      ...VECTORS.map((v) => ({ sig: ours(v), key: v.key })),
      // Harness controls: a wrong key and a non-sig must not pass the Python algorithm.
      { sig: OUR_SIGS[0], key: `${CASES[0].key}x` },
      { sig: "not-a-usersig", key: "k" },
    ],
  });
  const { minted, checked } = pyAnswer;
  const nc = CASES.length;
  const nv = VECTORS.length;
  return {
    library: pyAnswer.library,
    python: pyAnswer.python,
    cases: minted.slice(0, nc),
    vectors: minted.slice(nc, nc + nv),
    tamper: minted[nc + nv],
    checkedCases: checked.slice(0, nc),
    checkedVectors: checked.slice(nc, nc + nv),
    controls: checked.slice(nc + nv),
  };
}
