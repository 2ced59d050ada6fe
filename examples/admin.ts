// An admin script: add friends, check them, page through a friend list, block a user, and
// handle a failed call by its class.
import { ApiError, ValidationError } from "tim-sns/node";
import { connect } from "./setup.js";

async function main(): Promise<void> {
  const { client } = connect(["alice", "bob", "carol", "dave"]);
  const added = await client.friendImport({
    From_Account: "alice",
    AddFriendItem: ["bob", "carol", "dave"].map((To_Account) => ({ To_Account, AddSource: "AddSource_Type_Admin" })),
  });
  for (const item of added.ResultItem) console.log("import", item.To_Account, item.outcome);

  const check = await client.friendCheck({ From_Account: "alice", To_Account: ["bob", "mallory"], CheckType: "CheckResult_Type_Single" });
  for (const item of check.InfoItem) console.log("check", item.To_Account, item.Relation);

  let friends = 0;
  for await (const page of client.friendGetPages({ From_Account: "alice" })) friends += page.UserDataItem.length;
  console.log("friends", friends);

  await client.blackListAdd({ From_Account: "bob", To_Account: ["dave"] });
  const blocked = await client.blackListCheck({ From_Account: "bob", To_Account: ["dave"], CheckType: "BlackCheckResult_Type_Single" });
  console.log("blocked", blocked.BlackListCheckItem?.[0]?.Relation);

  try {
    await client.friendCheck({ From_Account: "alice", To_Account: [], CheckType: "CheckResult_Type_Single" });
  } catch (e) {
    if (e instanceof ValidationError) console.log("refused before sending:", e.violations.map((v) => v.path).join(", "));
    else if (e instanceof ApiError) console.log("the service said", e.errorCode, e.hint);
    else throw e;
  }
}

void main();
