// Command-line flags: node:util's parseArgs, with every mistake a usage error (exit 2) naming
// the flag, and the numbers and choices checked before anything runs.
import { parseArgs } from "node:util";
import { CliError } from "./exit.mjs";

/** `argv` parsed with `spec` (plus -h/--help); an unknown flag or a missing value is a usage error. */
export function options(argv, spec) {
  try {
    return parseArgs({ args: argv, options: { help: { type: "boolean", short: "h" }, ...spec }, allowPositionals: true });
  } catch (e) {
    throw new CliError("usage", e.message.split("\n").join(" "));
  }
}

/**
 * The integer flag `--name`'s value, `fallback` when absent; a usage error unless it is a whole
 * number in [min, max] written in decimal ("8x", "1e3", "" and "0x10" are refused: Number()
 * would take some of them and parseInt would take "8x" as 8).
 */
export function integer(values, name, { min = 0, max = Number.MAX_SAFE_INTEGER, fallback } = {}) {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new CliError("usage", `--${name} ${JSON.stringify(raw)}: not a whole number`);
  const n = Number(raw);
  if (n < min || n > max) throw new CliError("usage", `--${name} ${raw}: must be between ${min} and ${max}`);
  return n;
}

/** The decimal flag `--name` (e.g. a probability); a usage error unless a finite number in [min, max]. */
export function decimal(raw, name, { min = 0, max = Infinity } = {}) {
  const n = /^\s*-?(\d+\.?\d*|\.\d+)\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(n)) throw new CliError("usage", `${name} ${JSON.stringify(raw)}: not a number`);
  if (n < min || n > max) throw new CliError("usage", `${name} ${raw}: must be between ${min} and ${max}`);
  return n;
}

/** The choice flag `--name`'s value, matched case-insensitively against `choices`; `fallback` when absent. */
export function oneOf(values, name, choices, fallback) {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const hit = choices.find((c) => c.toLowerCase() === raw.toLowerCase());
  if (hit === undefined) throw new CliError("usage", `--${name} ${JSON.stringify(raw)}: must be one of ${choices.join(", ")}`);
  return hit;
}

/**
 * Takes the global `--json` (machine-readable output) out of `argv`. Before it meant that, `call`
 * took its request body as `--json BODY`; a value after `--json` that is not a flag is still read
 * as `--body BODY`, with a note on stderr.
 */
export function takeJsonFlag(argv) {
  const rest = [];
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json" && argv[i + 1] !== undefined && !argv[i + 1].startsWith("-")) {
      process.stderr.write("tim-sns: --json BODY is deprecated: give the request body with --body BODY (--json now asks for JSON output)\n");
      rest.push("--body", argv[++i]);
    } else if (a.startsWith("--json=")) {
      process.stderr.write("tim-sns: --json=BODY is deprecated: give the request body with --body BODY (--json now asks for JSON output)\n");
      rest.push("--body", a.slice("--json=".length));
    } else if (a === "--json") {
      json = true;
    } else {
      rest.push(a);
    }
  }
  return { argv: rest, json };
}
