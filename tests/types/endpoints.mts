// Every request type of the 15 endpoints in use; the @ts-expect-error lines must be errors.
import {
  buildFriendAdd, buildFriendImport, buildFriendUpdate, buildFriendDelete, buildFriendDeleteAll, buildFriendCheck,
  buildFriendGet, buildFriendGetList, buildBlackListAdd, buildBlackListDelete, buildBlackListGet, buildBlackListCheck,
  buildGroupAdd, buildGroupDelete, buildGroupGet, parseFriendAdd, parseFriendCheck, parseBlackListGet, parseFriendGet,
  isApiError, isDecodeError, buildRequest, parseResponse,
  type FriendAddRequest, type FriendImportRequest, type FriendUpdateRequest, type FriendDeleteRequest,
  type FriendDeleteAllRequest, type FriendCheckRequest, type FriendGetRequest, type FriendGetListRequest,
  type BlackListRequest, type BlackListGetRequest, type BlackListCheckRequest, type GroupAddRequest,
  type GroupDeleteRequest, type GroupGetRequest, type ItemOutcome, type TagValue, type ResultItem,
} from "tim-sns";

const add: FriendAddRequest = {
  From_Account: "alice",
  AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Web", Remark: "Bob", GroupName: "Friends", AddWording: "hi" }],
  AddType: "Add_Type_Both",
  ForceAddFlags: 1,
};
const imp: FriendImportRequest = {
  From_Account: "alice",
  AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Import", GroupName: ["A", "B"], AddTime: 1, RemarkTime: 2,
    CustomItem: [{ Tag: "Tag_SNS_Custom_Team", Value: "ops" }, { Tag: "Tag_SNS_Custom_Score", Value: 7 }] }],
};
const upd: FriendUpdateRequest = {
  From_Account: "alice",
  UpdateItem: [{ To_Account: "bob", SnsItem: [{ Tag: "Tag_SNS_IM_Remark", Value: "Bobby" }, { Tag: "Tag_SNS_IM_Group", Value: ["Family"] }] }],
};
const del: FriendDeleteRequest = { From_Account: "alice", To_Account: ["bob"], DeleteType: "Delete_Type_Both" };
const delAll: FriendDeleteAllRequest = { From_Account: "alice", DeleteType: "Delete_Type_Single" };
const check: FriendCheckRequest = { From_Account: "alice", To_Account: ["bob"], CheckType: "CheckResult_Type_Both" };
const get: FriendGetRequest = { From_Account: "alice", StartIndex: 0, StandardSequence: 1, CustomSequence: 2 };
const getList: FriendGetListRequest = { From_Account: "alice", To_Account: ["bob"], TagList: ["Tag_Profile_IM_Nick"] };
const block: BlackListRequest = { From_Account: "alice", To_Account: ["mallory"] };
const blockGet: BlackListGetRequest = { From_Account: "alice", StartIndex: 0, MaxLimited: 100, LastSequence: 0 };
const blockCheck: BlackListCheckRequest = { From_Account: "alice", To_Account: ["mallory"], CheckType: "BlackCheckResult_Type_Single" };
const gAdd: GroupAddRequest = { From_Account: "alice", GroupName: ["Climbing"], To_Account: ["bob"] };
const gDel: GroupDeleteRequest = { From_Account: "alice", GroupName: ["Climbing"] };
const gGet: GroupGetRequest = { From_Account: "alice", NeedFriend: "Need_Friend_Type_Yes", GroupName: ["Climbing"] };

const bodies: string[] = [
  buildFriendAdd(add), buildFriendImport(imp), buildFriendUpdate(upd), buildFriendDelete(del), buildFriendDeleteAll(delAll),
  buildFriendCheck(check), buildFriendGet(get, { softLimits: false }), buildFriendGetList(getList), buildBlackListAdd(block),
  buildBlackListDelete(block), buildBlackListGet(blockGet), buildBlackListCheck(blockCheck), buildGroupAdd(gAdd),
  buildGroupDelete(gDel), buildGroupGet(gGet), buildRequest("friend_add", add),
];
console.log(bodies.length);

const r = parseFriendAdd("{}");
// Parsed replies carry every array their type names (absent on the wire: []).
const items: ResultItem[] = r.ResultItem;
const failed: string[] = r.Fail_Account;
const outcome: ItemOutcome | undefined = r.ResultItem[0]?.outcome;
const code: number = r.ErrorCode;
const relation: string | undefined = parseFriendCheck("{}").InfoItem[0]?.Relation;
const seq: number | undefined = parseBlackListGet("{}").CurrentSequence;
const value: TagValue | undefined = parseFriendGet("{}").UserDataItem[0]?.ValueItem[0]?.Value;
console.log(items, failed, outcome, code, relation, seq, value, parseResponse("group_get", "{}"));
try { parseFriendAdd("{}"); } catch (e) {
  if (isApiError(e)) console.log(e.errorCode, e.retryable, e.hint);
  if (isDecodeError(e)) console.log(e.snippet, e.violations);
}

// @ts-expect-error misspelt field (From_account)
buildFriendDeleteAll({ From_account: "alice" });
// @ts-expect-error wrong enum literal
buildFriendCheck({ From_Account: "a", To_Account: ["b"], CheckType: "CheckResult_Type_Double" });
// @ts-expect-error wrong value type (To_Account must be an array)
buildFriendDelete({ From_Account: "a", To_Account: "b" });
// @ts-expect-error AddSource must start with AddSource_Type_
buildFriendAdd({ From_Account: "a", AddFriendItem: [{ To_Account: "b", AddSource: "Web" }] });
// @ts-expect-error ForceAddFlags is 0 or 1
buildFriendAdd({ ...add, ForceAddFlags: 2 });
// @ts-expect-error GroupName is a single string in friend_add
buildFriendAdd({ From_Account: "a", AddFriendItem: [{ To_Account: "b", AddSource: "AddSource_Type_Web", GroupName: ["x"] }] });
// @ts-expect-error friend_update cannot set AddSource
buildFriendUpdate({ From_Account: "a", UpdateItem: [{ To_Account: "b", SnsItem: [{ Tag: "Tag_SNS_IM_AddSource", Value: "x" }] }] });
// @ts-expect-error not a command
buildRequest("friend_get_all", {});

import { SnsClient, isTimeoutError, isBulkError, type CallMeta, type HookErrorEvent, type SnsClientOptions } from "tim-sns";
const clientOptions: SnsClientOptions = { sdkAppId: 1, identifier: "admin", secretKey: "k", region: "singapore", retries: { retries: 2, baseMs: 100 } };
const sns = new SnsClient(clientOptions);
const added = await sns.friendAdd(add, { timeoutMs: 5000 });
const meta: CallMeta = added.meta;
const firstOutcome: ItemOutcome | undefined = added.ResultItem[0]?.outcome;
console.log(meta.attempts, firstOutcome, sns.preview("friend_add", add).curl);
try { await sns.groupGet(gGet); } catch (e) { if (isTimeoutError(e)) console.log(e.timeoutMs); }
// @ts-expect-error a misspelt field in a client call
await sns.friendDelete({ From_Account: "a", To_Acount: ["b"] });
// @ts-expect-error not a client option
new SnsClient({ ...clientOptions, timeout: 5 });
for await (const page of sns.friendGetPages({ From_Account: "alice" })) {
  const friends: string[] = page.UserDataItem.map((f) => f.To_Account);
  console.log(friends, page.meta.attempts, page.CompleteFlag);
}
const blocked: string[] = (await sns.blackListGetAll({ From_Account: "alice", MaxLimited: 500 })).map((b) => b.To_Account);
console.log(blocked);
// @ts-expect-error From_Account is required to page
sns.friendGetPages({ StartIndex: 0 });
const bulk = await sns.importFriends(
  [{ From_Account: "alice", items: [{ To_Account: "bob", AddSource: "AddSource_Type_Import" }] }],
  { concurrency: 4, onProgress: ({ done, total, failed, callsPerSecond, etaSeconds }) => console.log(done, total, failed, callsPerSecond, etaSeconds),
    journal: { append: (text: string) => console.log(text), read: () => "" }, rateLimiter: { acquire: async (command: string) => void command } },
);
// Bulk items may also be "unknown" (every attempt and read lost), and "reconciled".
const firstItem: { outcome: ItemOutcome | "unknown"; code?: number; reconciled?: boolean } | undefined = bulk.items[0];
console.log(bulk.unknown, bulk.reconciled, bulk.stopped);
console.log(bulk.ok, bulk.failed, firstItem, await sns.blockUsers({ From_Account: "alice", items: ["mallory"] }));
// Async hooks, where their failures go, and the error of a run whose journal or limiter failed.
const hooked = new SnsClient({ ...clientOptions, onResponse: async ({ status }) => void status,
  onHookError: ({ hook, error, command }: HookErrorEvent) => console.warn(hook, command, error) });
try { await hooked.importFriends({ From_Account: "alice", items: [] }); } catch (e) {
  if (isBulkError(e)) console.log(e.reason === "journal" || e.reason === "rateLimiter", e.report.stopped, e.cause);
}
// @ts-expect-error bulk items of friend_delete are UserIDs
await sns.deleteFriends({ From_Account: "alice", items: [{ To_Account: "bob" }] });

import { Emulator, type EmulatorOptions } from "tim-sns/emulator";
const emuOptions: EmulatorOptions = { sdkAppId: 1, secretKey: "k", faults: { http502: 0.1, latencyMs: 20 } };
const emulator = new Emulator(emuOptions);
emulator.importAccounts(["alice", "bob"]);
emulator.setAllowType("bob", "AllowType_Type_AllowAny");
const offline = new SnsClient({ sdkAppId: 1, identifier: "administrator", secretKey: "k", baseUrl: "https://emulator.local", fetch: emulator.fetch });
console.log(offline, emulator.snapshot());
// @ts-expect-error not an AllowType
emulator.setAllowType("bob", "Anyone");
