// The error classes: every error the package throws is an instance of its class (and of
// TimSnsError), from ESM and CommonJS alike; a NetworkError keeps what the fetch failed with as
// its `cause` (never a secret); the caller's signal gives an AbortError; and a rejected call's
// stack shows the caller's line, not only wasm frames.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import {
  SnsClient, TimSnsError, ApiError, ValidationError, NetworkError, TimeoutError, AbortError, HttpError, DecodeError, UserSigError,
  isApiError, isAbortError, decodeUserSig,
} from "tim-sns";

const KEY = "errors-test-secret-key";
const reply = (body, status = 200) => async () => ({ status, text: async () => JSON.stringify(body) });
const client = (fetch, extra = {}) => new SnsClient({ sdkAppId: 1400000000, identifier: "administrator", secretKey: KEY, baseUrl: "http://stub.invalid", fetch, retries: 0, ...extra });
const body = { From_Account: "alice", To_Account: ["bob"], CheckType: "CheckResult_Type_Both" };

test("each kind of error is an instance of its class and of TimSnsError, and its guard agrees", async () => {
  const api = await client(reply({ ActionStatus: "FAIL", ErrorCode: 70001, ErrorInfo: "expired" })).friendCheck(body).catch((e) => e);
  assert.ok(api instanceof ApiError && api instanceof TimSnsError && api instanceof Error, String(api));
  assert.ok(isApiError(api));
  assert.equal(api.name, "ApiError");
  assert.equal(api.errorCode, 70001);
  const invalid = await client(reply({})).friendCheck({ ...body, To_Account: [] }).catch((e) => e);
  assert.ok(invalid instanceof ValidationError, String(invalid));
  const http = await client(reply({}, 502)).friendCheck(body).catch((e) => e);
  assert.ok(http instanceof HttpError, String(http));
  const decode = await client(async () => ({ status: 200, text: async () => "{not json" })).friendCheck(body).catch((e) => e);
  assert.ok(decode instanceof DecodeError, String(decode));
  assert.throws(() => decodeUserSig("not a sig"), (e) => e instanceof UserSigError && e instanceof TimSnsError);
  const timeout = await client(() => new Promise(() => {}), { timeoutMs: 20 }).friendCheck(body).catch((e) => e);
  assert.ok(timeout instanceof TimeoutError && !(timeout instanceof AbortError), String(timeout));
});

test("a NetworkError's cause is what the fetch failed with", async () => {
  const socket = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
  const thrown = new TypeError("fetch failed", { cause: socket });
  const e = await client(async () => { throw thrown; }).friendCheck(body).catch((x) => x);
  assert.ok(e instanceof NetworkError, String(e));
  assert.equal(e.cause, thrown);
  assert.equal(e.cause.cause.code, "ECONNREFUSED");
});

test("a cause that shows the usersig or the key is replaced by a scrubbed stand-in", async () => {
  let seen = "";
  const e = await client(async (url) => { seen = url; throw new Error(`request to ${url} failed (key ${KEY})`); }).friendCheck(body).catch((x) => x);
  assert.ok(e instanceof NetworkError, String(e));
  const sig = new URL(seen).searchParams.get("usersig");
  assert.ok(sig && sig.length > 20);
  for (const text of [e.message, e.cause.message, e.cause.stack]) {
    assert.ok(!text.includes(sig) && !text.includes(KEY), text);
  }
});

test("the caller's signal ends a call with an AbortError whose cause is the signal's reason", async () => {
  const reason = new Error("the user closed the page");
  const e = await client(() => new Promise(() => {}), { timeoutMs: 60_000 }).friendCheck(body, { signal: AbortSignal.abort(reason) }).catch((x) => x);
  assert.ok(e instanceof AbortError && isAbortError(e), String(e));
  assert.equal(e.cause, reason);
});

test("a rejected call's stack shows the line that made the call", async () => {
  async function callerOfTheClient() {
    return client(reply({ ActionStatus: "FAIL", ErrorCode: 70001, ErrorInfo: "expired" })).friendCheck(body);
  }
  const e = await callerOfTheClient().catch((x) => x);
  assert.ok(e instanceof ApiError);
  assert.match(e.stack, /^ApiError: /);
  assert.match(e.stack, /callerOfTheClient .*errors\.test\.mjs:\d+/);
  assert.doesNotMatch(e.stack, /wasm:\/\//);
});

test("CommonJS gets the same classes as ESM", async () => {
  const cjs = createRequire(import.meta.url)("tim-sns");
  assert.equal(cjs.ApiError, ApiError);
  assert.equal(cjs.TimSnsError, TimSnsError);
  const e = await new cjs.SnsClient({ sdkAppId: 1400000000, identifier: "administrator", secretKey: KEY, baseUrl: "http://stub.invalid", fetch: reply({ ActionStatus: "FAIL", ErrorCode: 70001, ErrorInfo: "" }), retries: 0 }).friendCheck(body).catch((x) => x);
  assert.ok(e instanceof ApiError, String(e));
});
