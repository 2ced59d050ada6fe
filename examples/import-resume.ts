// A bulk import that is stopped halfway and resumed from its journal: every item ends with
// exactly one outcome, and nothing recorded is sent twice.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BulkProgress } from "tim-sns/node";
import { connect } from "./setup.js";

async function main(): Promise<void> {
  const users = Array.from({ length: 50 }, (_, i) => `user${i}`);
  const { client } = connect([...users, "star"]);
  const input = users.map((From_Account) => ({ From_Account, items: [{ To_Account: "star", AddSource: "AddSource_Type_Import" as const }] }));
  const dir = mkdtempSync(join(tmpdir(), "tim-sns-example-"));
  const journal = join(dir, "import.journal");
  try {
    const stop = new AbortController();
    const first = await client.importFriends(input, {
      journal, signal: stop.signal, concurrency: 4,
      onProgress: (p: BulkProgress) => { if (p.done >= 20) stop.abort(); },
    });
    console.log("first run stopped:", first.stopped, "ok:", first.ok);
    const second = await client.importFriends(input, { journal });
    console.log("resumed: ok", second.ok, "failed", second.failed, "of", second.total);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
