// Resumable runs through the built package, against a local stub server: a journal is matched
// to its input by identity. A journal of other items is refused; an edited input resumes, sending
// only the rows the journal has no outcome for (changed, new and unsent ones).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { SnsClient, isValidationError } from "tim-sns";

const friends = new Set(); // "from>to"
let received = []; // "from>to" of every friend_import item, in arrival order
let server, base;

before(async () => {
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (c) => (text += c));
    req.on("end", () => {
      const body = JSON.parse(text);
      if (req.url.includes("/friend_check")) {
        const InfoItem = body.To_Account.map((t) => ({ To_Account: t, ResultCode: 0, Relation: friends.has(`${body.From_Account}>${t}`) ? "CheckResult_Type_AWithB" : "CheckResult_Type_NoRelation" }));
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(JSON.stringify({ ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", InfoItem }));
      }
      const ResultItem = body.AddFriendItem.map(({ To_Account }) => {
        const key = `${body.From_Account}>${To_Account}`;
        received.push(key);
        if (friends.has(key)) return { To_Account, ResultCode: 30001, ResultInfo: "already a friend" };
        friends.add(key);
        return { To_Account, ResultCode: 0, ResultInfo: "" };
      });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", ResultItem }));
    });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }));

const client = () => new SnsClient({ sdkAppId: 1400000000, identifier: "administrator", secretKey: "journal-key", baseUrl: base });

/** A journal kept in memory: the `{ append, read }` form. */
function memoryJournal() {
  let text = "";
  return { append(t) { text += t; }, read() { return text; }, get text() { return text; } };
}

const row = (To_Account, extra = {}) => ({ To_Account, AddSource: "AddSource_Type_Import", ...extra });

test("20 items, then 20 other items of the same user with the same journal: refused, nothing sent", async () => {
  friends.clear(); received = [];
  const journal = memoryJournal();
  const first = await client().importFriends({ From_Account: "alice", items: Array.from({ length: 20 }, (_, i) => row(`t${i}`)) }, { journal });
  assert.equal(first.ok, 20);
  received = [];
  const before = journal.text;
  const other = { From_Account: "alice", items: Array.from({ length: 20 }, (_, i) => row(`x${i}`)) };
  const error = await client().importFriends(other, { journal }).then(() => null, (e) => e);
  assert.ok(isValidationError(error), `refused with a ValidationError, not ${error}`);
  assert.match(error.message, /the journal is of another input: none of its 20 recorded items is in this input/);
  assert.deepEqual([error.violations[0].path, error.violations[0].rule], ["options.journal", "journal"]);
  assert.deepEqual(received, [], "nothing sent");
  assert.equal(journal.text, before, "nothing appended to the journal");
  assert.ok(!error.message.includes("journal-key"), "no secret in the message");
});

test("an edited input resumes: recorded rows are not sent again; changed, new and unsent rows are", async () => {
  friends.clear(); received = [];
  const journal = memoryJournal();
  const input = [
    { From_Account: "alice", items: [row("a1"), row("a2"), row("a3")] },
    { From_Account: "bob", items: [row("b1"), row("b2")] },
  ];
  // One user at a time: stopped once alice's call is answered, bob's items are never sent.
  const stop = new AbortController();
  const onProgress = (p) => { if (p.done >= 3) stop.abort(); };
  const first = await client().importFriends(input, { journal, concurrency: 1, signal: stop.signal, onProgress });
  assert.equal(first.stopped, true);
  assert.deepEqual(received, ["alice>a1", "alice>a2", "alice>a3"]);
  assert.equal((journal.text.match(/"done"/g) ?? []).length, 3);

  // Edited: a2's remark changed, a3 removed, a4 added, users and rows re-ordered.
  received = [];
  const edited = [
    { From_Account: "bob", items: [row("b2"), row("b1")] },
    { From_Account: "alice", items: [row("a4"), row("a2", { Remark: "edited" }), row("a1")] },
  ];
  const second = await client().importFriends(edited, { journal });
  assert.equal(second.stopped, false);
  assert.deepEqual([...received].sort(), ["alice>a2", "alice>a4", "bob>b1", "bob>b2"], "a1 kept its recorded outcome");
  assert.deepEqual(second.items.map((i) => [i.index, i.From_Account, i.To_Account, i.outcome, i.code]), [
    [0, "bob", "b2", "ok", 0],
    [1, "bob", "b1", "ok", 0],
    [2, "alice", "a4", "ok", 0],
    // The edited row is another item: sent again; the server already holds the friend (a
    // friend_check confirms 30001), so its new remark was not applied.
    [3, "alice", "a2", "already", 30001],
    [4, "alice", "a1", "ok", 0],
  ]);
  assert.equal(second.total, 5);

  // Run once more with the journal as it now stands: every row has its outcome, nothing is sent.
  received = [];
  const third = await client().importFriends(edited, { journal });
  assert.deepEqual(received, []);
  assert.deepEqual(third.items.map((i) => i.outcome), second.items.map((i) => i.outcome));
});
