// Shared by the CLI tests: the installed `tim-sns` bin, a `tim-sns emulator` child on a free
// port, and runs of the command that resolve with their exit code and output.
import { spawn, execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SnsClient } from "tim-sns";

export const BIN = fileURLToPath(new URL("../../node_modules/.bin/tim-sns", import.meta.url));
export const KEY = "cli-files-test-key";
export const APP = 1400000000;

/** A fresh temporary folder. */
export const tempDir = (name) => mkdtempSync(join(tmpdir(), `tim-sns-${name}-`));

/** A `tim-sns emulator` on a free port: `{ base, child, log, stop() }`; `log` collects its stdout lines. */
export async function startEmulator(extra = []) {
  const child = spawn(BIN, ["emulator", "--port", "0", "--key", KEY, "--sdkappid", String(APP), ...extra], { stdio: ["ignore", "pipe", "pipe"] });
  const log = [];
  let stderr = "";
  child.stderr.on("data", (c) => (stderr += c));
  const base = await new Promise((ok, fail) => {
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk) => {
      log.push(...chunk.split("\n").filter(Boolean));
      // The text line, or with --json the listening object.
      const m = /(?:listening on |"listening":")(http:\/\/127\.0\.0\.1:\d+)/.exec(chunk);
      if (m) ok(m[1]);
    });
    child.on("exit", (code) => fail(new Error(`emulator exited with ${code}: ${stderr}`)));
  });
  return { base, child, log, stop: () => child.kill() };
}

/** The environment that points the command at `base`. */
export const envFor = (base) => ({ ...process.env, TIM_SDKAPPID: String(APP), TIM_IDENTIFIER: "administrator", TIM_SECRET_KEY: KEY, TIM_BASE_URL: base });

/** A client of the emulator at `base`, to set up and read its state. */
export const clientFor = (base) => new SnsClient({ sdkAppId: APP, identifier: "administrator", secretKey: KEY, baseUrl: base });

/** Runs `tim-sns ...args`; resolves `{ code, stdout, stderr }` whatever the exit code. */
export function run(args, env = process.env) {
  return new Promise((resolve) => {
    execFile(BIN, args, { env, maxBuffer: 64 << 20, encoding: "utf8" }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, stdout, stderr });
    });
  });
}

/** Imports `ids` as accounts, 100 a call as the service takes them. */
export async function importAccounts(client, ids) {
  for (let i = 0; i < ids.length; i += 100) await client.request("im_open_login_svc/multiaccount_import", { Accounts: ids.slice(i, i + 100) });
}

/** Every friend of `user` as { To_Account: { Tag: Value } } (one friend_get page of 100 is enough here). */
export async function friendsOf(client, user) {
  const reply = await client.request("friend_get", { From_Account: user, StartIndex: 0 });
  return Object.fromEntries((reply.UserDataItem ?? []).map((f) => [f.To_Account, Object.fromEntries(f.ValueItem.map((v) => [v.Tag, v.Value]))]));
}

/** Resolves once `condition()` holds, checking every 10 ms (a condition, never a fixed wait). */
export async function waitFor(condition) {
  while (!condition()) await new Promise((ok) => setTimeout(ok, 10));
}
