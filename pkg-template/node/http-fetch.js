// A fetch for SnsClient over node:http and node:https: the subset of fetch that the client uses
// (POST a string, read the status and the text, abort by signal). Node's own fetch (undici) builds
// requests, headers and web streams for every call: in scripts/bench-migrate.mjs the client's CPU
// per call is about a third lower through this one, and the exporting process's heap smaller. A bulk
// job sends thousands of calls, so the tim-sns command sends through it. Connections are kept alive
// by Node's global agents.
import http from "node:http";
import https from "node:https";

/**
 * Sends one request; resolves to `{ status, text() }` once the whole reply has arrived, and
 * rejects when the connection fails or closes before the reply ends, or when `init.signal` aborts.
 */
export function nodeHttpFetch(url, init = {}) {
  return new Promise((resolve, reject) => {
    const target = new URL(String(url));
    const transport = target.protocol === "https:" ? https : http;
    const req = transport.request(target, { method: init.method ?? "GET", headers: init.headers, signal: init.signal }, (res) => {
      res.setEncoding("utf8");
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode, text: async () => text }));
      res.on("error", reject);
      res.on("close", () => {
        if (!res.complete) reject(new Error("the connection closed before the reply ended"));
      });
    });
    req.on("error", reject);
    req.end(init.body);
  });
}
