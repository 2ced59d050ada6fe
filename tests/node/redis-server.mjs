// A real redis-server for tests and benchmarks (never a test itself): started on a free loopback
// port with a temporary directory and no persistence, stopped by `stop()`. `pause()` and
// `resume()` send SIGSTOP and SIGCONT: Redis then holds every command unanswered, as a hung or
// unreachable server would, and keeps its data. Also the two client kinds tim-sns/redis
// supports, each behind the same small interface, so that tests run once per kind.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A free TCP port on 127.0.0.1. */
export async function freePort() {
  const s = createServer();
  await new Promise((ok) => s.listen(0, "127.0.0.1", ok));
  const { port } = s.address();
  await new Promise((ok) => s.close(ok));
  return port;
}

/**
 * Starts redis-server and resolves once it accepts connections.
 * @returns {Promise<{ url: string, port: number, pause(): void, resume(): void, stop(): Promise<void> }>}
 */
export async function startRedis() {
  const dir = mkdtempSync(join(tmpdir(), "tim-sns-redis-"));
  const port = await freePort();
  const proc = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  await new Promise((ok, fail) => {
    proc.on("error", (e) => fail(e.code === "ENOENT" ? new Error("redis-server is not installed: run scripts/setup.sh") : e));
    proc.on("exit", (code) => fail(new Error(`redis-server exited with ${code}: ${out}`)));
    proc.stdout.on("data", (d) => {
      out += d;
      if (out.includes("Ready to accept connections")) ok();
    });
  });
  proc.removeAllListeners("exit");
  proc.stdout.resume();
  proc.stderr.resume();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pause: () => proc.kill("SIGSTOP"),
    resume: () => proc.kill("SIGCONT"),
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill("SIGCONT");
        proc.kill("SIGTERM");
        await new Promise((ok) => proc.once("exit", ok));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Connects a client of `kind` ("ioredis" or "node-redis") to `url`: `{ client, close() }`. */
export async function connect(kind, url) {
  if (kind === "ioredis") {
    const { default: Redis } = await import("ioredis");
    // maxRetriesPerRequest: null keeps commands queued while Redis is away, as apps often set.
    const client = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
    client.on("error", () => {});
    return { client, close: () => client.disconnect() };
  }
  if (kind === "node-redis") {
    const { createClient } = await import("redis");
    const client = createClient({ url });
    client.on("error", () => {});
    await client.connect();
    return { client, close: () => (client.destroy ? client.destroy() : client.disconnect()) };
  }
  throw new Error(`unknown Redis client kind ${kind}`);
}

/** The client kinds every Redis test runs with. */
export const KINDS = ["ioredis", "node-redis"];
