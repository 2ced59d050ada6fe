// nodeHttpFetch, the node:http fetch the tim-sns command sends through: against a local server
// on 127.0.0.1, alone and as SnsClient's fetch (replies, a hang cut by the timeout, a connection
// dropped after the request was read).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { SnsClient, nodeHttpFetch, isNetworkError, isTimeoutError } from "tim-sns";

const KEY = "http-fetch-test-key";
let server, base;
const seen = [];

before(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, body, type: req.headers["content-type"] });
      const path = new URL(req.url, "http://x").pathname;
      if (path.endsWith("/hang")) return;
      if (path.endsWith("/drop") || path.endsWith("/friend_delete")) return req.socket.destroy();
      if (path.endsWith("/half")) {
        res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
        res.write('{"ActionStatus":');
        return setTimeout(() => req.socket.destroy(), 10);
      }
      if (path.endsWith("/status")) return res.writeHead(502).end("<html>bad gateway</html>");
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", echo: body, 好: "友" }));
    });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }));

test("posts the body with its headers and resolves to the status and the whole text", async () => {
  const body = JSON.stringify({ From_Account: "阿里", pad: "x".repeat(200_000) });
  const reply = await nodeHttpFetch(`${base}/v4/sns/friend_get?a=1`, { method: "POST", headers: { "Content-Type": "application/json" }, body });
  assert.equal(reply.status, 200);
  const parsed = JSON.parse(await reply.text());
  assert.equal(parsed.echo, body);
  assert.equal(parsed.好, "友");
  const last = seen.at(-1);
  assert.deepEqual([last.method, last.url, last.type], ["POST", "/v4/sns/friend_get?a=1", "application/json"]);
  const bad = await nodeHttpFetch(`${base}/status`, { method: "POST", body: "" });
  assert.equal(bad.status, 502);
});

test("rejects when the connection drops, when the reply is cut short, when nothing listens, and when the signal aborts", async () => {
  await assert.rejects(nodeHttpFetch(`${base}/drop`, { method: "POST", body: "{}" }));
  await assert.rejects(nodeHttpFetch(`${base}/half`, { method: "POST", body: "{}" }));
  const closed = createServer();
  await new Promise((ok) => closed.listen(0, "127.0.0.1", ok));
  const port = closed.address().port;
  await new Promise((ok) => closed.close(ok));
  await assert.rejects(nodeHttpFetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "{}" }));
  const controller = new AbortController();
  const pending = nodeHttpFetch(`${base}/hang`, { method: "POST", body: "{}", signal: controller.signal });
  setTimeout(() => controller.abort(), 20);
  await assert.rejects(pending);
});

test("as SnsClient's fetch: replies parse, a hang is a TimeoutError, a dropped connection a NetworkError", async () => {
  const client = new SnsClient({ sdkAppId: 1400000000, identifier: "administrator", secretKey: KEY, baseUrl: base, fetch: nodeHttpFetch, retries: 0 });
  const reply = await client.request("friend_get", { From_Account: "alice", StartIndex: 0 });
  assert.equal(reply.ActionStatus, "OK");
  assert.match(seen.at(-1).url, /^\/v4\/sns\/friend_get\?sdkappid=1400000000&identifier=administrator&usersig=/);
  await assert.rejects(client.request("sns_test/hang", {}, { timeoutMs: 50 }), (e) => isTimeoutError(e));
  await assert.rejects(client.friendDelete({ From_Account: "alice", To_Account: ["bob"] }), (e) => isNetworkError(e) && !e.message.includes(KEY));
});
