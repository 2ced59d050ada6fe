// `tim-sns page` outside the browser: a bad --upstream is one line and exit code 2; a forwarded
// call whose upstream is down answers 502 naming the host only, and the log redacts the usersig.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../node_modules/.bin/tim-sns", import.meta.url));
const SIG = "eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkKjIT87NK82CSxSnZiQUFmSlAKUMTAyiAyqVWFGQWpYJkTE1NjRDiJZm5";

test("a bad --upstream is refused in one line with exit code 2", () => {
  for (const upstream of ["not a url", "ftp://127.0.0.1/", "http://127.0.0.1:9?x=1"]) {
    const r = spawnSync(BIN, ["page", "--port", "0", "--upstream", upstream], { encoding: "utf8" });
    assert.equal(r.status, 2, `${upstream}: ${r.stderr}`);
    assert.match(r.stderr, /^tim-sns: --upstream /);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  }
});

test("an upstream that is down: 502 naming its host, and the log line redacts the usersig", async () => {
  // A port that was just free: nothing listens on it.
  const probe = createServer();
  await new Promise((ok) => probe.listen(0, "127.0.0.1", ok));
  const dead = `http://127.0.0.1:${probe.address().port}`;
  await new Promise((ok) => probe.close(ok));

  const child = spawn(BIN, ["page", "--port", "0", "--upstream", dead], { stdio: ["ignore", "pipe", "pipe"] });
  try {
    let out = "";
    const lines = [];
    child.stdout.setEncoding("utf8");
    const waiters = [];
    child.stdout.on("data", (chunk) => {
      out += chunk;
      lines.push(...chunk.split("\n").filter(Boolean));
      for (const w of waiters.splice(0)) {
        if (lines.some(w.test)) w.ok();
        else waiters.push(w);
      }
    });
    const line = (test) => (lines.some(test) ? Promise.resolve() : new Promise((ok) => waiters.push({ test, ok })));
    await line((l) => /debugging page: http/.test(l));
    const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)[1];
    const r = await fetch(new URL(`_forward/upstream/v4/sns/friend_get?sdkappid=1&identifier=admin&usersig=${SIG}&random=1&contenttype=json`, url), { method: "POST", body: "{}" });
    assert.equal(r.status, 502);
    const text = await r.text();
    assert.match(text, new RegExp(`^tim-sns page: no reply from ${dead.replace(/[.:/]/g, "\\$&")} \\(`));
    assert.ok(!text.includes(SIG));
    await line((l) => /-> no reply/.test(l));
    const logged = lines.find((l) => /-> no reply/.test(l));
    assert.match(logged, /POST http:\/\/127\.0\.0\.1:\d+\/v4\/sns\/friend_get\?sdkappid=1&identifier=admin&usersig=REDACTED&random=1/);
    assert.ok(!out.includes(SIG));
  } finally {
    child.kill();
  }
});
