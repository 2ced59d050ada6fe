// The error classes of tim-sns. The Rust side makes every error it throws or rejects with
// through `makeError` (src/wasm/errors.rs), so `instanceof ApiError` works, and the package's
// entries re-export the classes from this one module (scripts/build-pkg.sh): ESM and CommonJS
// load the same module, so there is one class of each.
// An ES module: browsers import it, and Node's CommonJS glue requires it (Node 20.19+).

/** Base class of every error this package throws. */
export class TimSnsError extends Error {}

/** Input breaks a documented rule; `violations` lists every one. */
export class ValidationError extends TimSnsError {}
/** A string that is not a valid UserSig. */
export class UserSigError extends TimSnsError {}
/** The service answered that the whole request failed (`ErrorCode` not 0). */
export class ApiError extends TimSnsError {}
/** A reply that is not JSON, or whose documented fields have the wrong types. */
export class DecodeError extends TimSnsError {}
/** A reply with an HTTP status other than 200. */
export class HttpError extends TimSnsError {}
/** No reply: the fetch itself failed (`cause` is what it failed with). */
export class NetworkError extends TimSnsError {}
/** No reply within the call's timeout. */
export class TimeoutError extends TimSnsError {}
/** The caller's `signal` aborted the call (`cause` is the signal's reason). */
export class AbortError extends TimSnsError {}
/** The client's `rateLimiter` failed, so the call was not sent (`cause` is why). */
export class RateLimiterError extends TimSnsError {}
/** A bulk run stopped because its journal or rate limiter failed (`report` holds what was done). */
export class BulkError extends TimSnsError {}

const CLASSES = { ValidationError, UserSigError, ApiError, DecodeError, HttpError, NetworkError, TimeoutError, AbortError, RateLimiterError, BulkError };

/** A new error of the class named `name` (a plain `TimSnsError` for other names). `name` is an
 * own property, as on the errors this package threw before it had classes. */
export function makeError(name, message) {
  const Class = CLASSES[name] ?? TimSnsError;
  const error = new Class(message);
  error.name = name;
  return error;
}

// The folder of the glue that loads this module (it is in snippets/<crate>/src/wasm/ below it):
// frames in it, and wasm frames, are this package's own.
const OWN = new URL("../../../../", import.meta.url);
const OWN_PATH = OWN.protocol === "file:" ? decodeURIComponent(OWN.pathname) : null;
const own = (line) => line.includes("wasm://") || line.includes(OWN.href) || (OWN_PATH !== null && line.includes(OWN_PATH));

/** Gives `error` (one of ours) the stack of the call that started the operation: its own stack
 * is the wasm code that found the failure, often in a later task, never the caller's line. */
export function withCallerStack(error, caller) {
  if (!(error instanceof TimSnsError) || typeof caller?.stack !== "string") return;
  const lines = caller.stack.split("\n").filter((line) => /^\s+at /.test(line));
  let first = 0;
  lines.forEach((line, i) => { if (own(line)) first = i + 1; });
  const frames = lines.slice(first);
  if (frames.length > 0) error.stack = `${error.name}: ${error.message}\n${frames.join("\n")}`;
}
