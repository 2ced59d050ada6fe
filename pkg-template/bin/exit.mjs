// The command's exit codes, one table: the code, the failure kinds that map to it, and what it
// means. `tim-sns --help` prints it and docs/cli.md repeats it (a test checks they agree).
// Every failure leaves through `CliError`: one line on stderr (or one JSON line with --json),
// never a stack trace; an error that is not ours is a bug and says so.

/** Exit codes, in the order the help lists them. */
export const EXIT_CODES = [
  { code: 0, kind: "ok", meaning: "done: every item, user or call succeeded" },
  { code: 1, kind: "failed", meaning: "done, but some items failed, some rows were bad, users differ, a UserSig was refused, or the service refused the call" },
  { code: 2, kind: "usage", meaning: "the command line is wrong: an unknown command or flag, a missing flag, a number or choice out of range" },
  { code: 3, kind: "config", meaning: "the configuration cannot be used: TIM_* variables, --key, --redis without a client package" },
  { code: 4, kind: "input", meaning: "an input file is missing, unreadable, not in its encoding, or not JSON where JSON is needed; a request body breaks a rule" },
  { code: 5, kind: "unreachable", meaning: "the service or Redis cannot be reached: no reply, connection refused, timed out" },
  { code: 6, kind: "listen", meaning: "a server cannot listen: the port is in use or not allowed (pick another with --port)" },
  { code: 70, kind: "internal", meaning: "a bug in tim-sns (TIM_SNS_DEBUG=1 prints the stack): please report it" },
  { code: 130, kind: "interrupted", meaning: "stopped by Ctrl-C after the calls in flight; run the same command with --resume to finish" },
];

/** The exit code of each kind. */
export const EXIT = Object.fromEntries(EXIT_CODES.map(({ kind, code }) => [kind, code]));

/** A failure the command reports as one line and exits with `EXIT[kind]`. */
export class CliError extends Error {
  /** @param {keyof typeof EXIT} kind  @param {string} message */
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
}

/** Throws a `CliError`; for expressions (`value ?? failWith(...)`). */
export function failWith(kind, message) {
  throw new CliError(kind, message);
}

/** How failures are printed: set once from the command line. */
export const output = { json: false };

/** Prints `error` as the command's one failure line and exits with its code. */
export function exitWith(error) {
  const known = error instanceof CliError;
  const kind = known ? error.kind : "internal";
  const message = known ? error.message : `internal error: ${error?.message ?? String(error)}`;
  if (output.json) process.stderr.write(JSON.stringify({ error: { kind, exitCode: EXIT[kind], message } }) + "\n");
  else process.stderr.write(`tim-sns: ${message}\n`);
  if (!known && process.env.TIM_SNS_DEBUG) process.stderr.write(`${error?.stack ?? ""}\n`);
  process.exit(EXIT[kind]);
}

/** The help's table of exit codes. */
export function exitHelp() {
  return EXIT_CODES.map(({ code, meaning }) => `  ${String(code).padStart(3)}  ${meaning}`).join("\n");
}

/**
 * The `CliError` for an error of this package: a request that breaks a rule is `validation`
 * (input by default), no reply is unreachable, a refusal by the service is a failure. A rule
 * broken only by settings that came from flags (`flags` maps a setting's path, such as
 * "options.concurrency", to its flag) is a usage error that names the flags. Anything else is
 * returned as is, and `exitWith` reports it as a bug.
 */
export function fromError(e, validation = "input", flags = {}) {
  if (e instanceof CliError) return e;
  switch (e?.name) {
    case "ValidationError": {
      const fromFlags = e.violations.length > 0 && e.violations.every((v) => v.path in flags);
      const name = (text) => (fromFlags ? Object.entries(flags).reduce((t, [path, flag]) => t.split(path).join(flag), text) : text);
      // Every violation, on the one line.
      return new CliError(fromFlags ? "usage" : validation, e.violations.map((v) => name(`${v.path}: ${v.message}`)).join("; "));
    }
    case "NetworkError":
    case "TimeoutError":
    case "RateLimiterError":
      return new CliError("unreachable", `no reply: ${e.message} (check TIM_BASE_URL or TIM_REGION and the network)`);
    case "ApiError":
    case "HttpError":
    case "DecodeError":
      return new CliError("failed", e.message);
    case "UserSigError":
      return new CliError("input", e.message);
    case "BulkError":
      return new CliError(e.reason === "rateLimiter" ? "unreachable" : "input", e.message);
    default:
      return e;
  }
}
