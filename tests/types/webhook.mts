// tim-sns/webhook from strict TypeScript: the callback union narrows on CallbackCommand, hooks
// get the callback type of their command, and the @ts-expect-error lines must be errors.
import {
  verifyWebhook, parseCallback, refuseReply, okReply, webhookHandler, webhookFetchHandler,
  type SnsCallback, type SnsCallbackOf, type WebhookNodeRequest, type WebhookNodeResponse, type WebhookVerification, type CallbackReply, type WebhookRefusal,
} from "tim-sns/webhook";
import { Emulator, type EmulatorCallback } from "tim-sns/emulator";

// The consumer has no @types/node here: node:http's createServer, by its shape.
declare function createServer(listener: (req: WebhookNodeRequest, res: WebhookNodeResponse) => void): unknown;
declare const env: { TIM_CALLBACK_TOKEN?: string };
declare const url: string;
declare const body: string;

const v: WebhookVerification = verifyWebhook({ url, token: null, sdkAppId: 1400000000 });
const reason: WebhookRefusal | undefined = v.reason;
// @ts-expect-error the token must be given (null skips the signature)
verifyWebhook({ url, sdkAppId: 1400000000 });

const cb: SnsCallback = parseCallback(url, body);
let pairs = 0;
switch (cb.CallbackCommand) {
  case "Sns.CallbackPrevFriendAdd": {
    const to: string = cb.FriendItem[0]?.To_Account ?? "";
    const reply: CallbackReply = refuseReply(cb, [{ To_Account: to, ResultCode: 38001 }]);
    pairs = reply.ResultItem?.length ?? 0;
    break;
  }
  case "Sns.CallbackPrevFriendResponse":
    pairs = cb.ResponseFriendItem.length;
    break;
  case "Sns.CallbackFriendAdd":
    pairs = cb.PairList.filter((p) => p.Initiator_Account === cb.Admin_Account).length;
    break;
  case "Sns.CallbackFriendDelete":
  case "Sns.CallbackBlackListAdd":
  case "Sns.CallbackBlackListDelete":
    pairs = cb.PairList.length;
    // @ts-expect-error only FriendAdd pairs have an initiator
    cb.PairList[0].Initiator_Account;
    break;
  case "Alert.RequestOverLimit": {
    const command: string = cb.Command;
    const limit: number | undefined = cb.Limit;
    pairs = cb.ServiceName === "sns" && command === "friend_add" ? (limit ?? 0) : 0;
    break;
  }
  default: {
    const never: never = cb;
    void never;
  }
}
if (cb.CallbackCommand === "Sns.CallbackBlackListAdd") {
  // @ts-expect-error a blocklist callback has no FriendItem
  cb.FriendItem;
}
// @ts-expect-error not a command of the union
const wrong: SnsCallback["CallbackCommand"] = "Sns.CallbackFriendAddd";

const onAdd = (c: SnsCallbackOf<"Sns.CallbackFriendAdd">) => c.PairList.map((p) => p.To_Account);
createServer(webhookHandler({
  sdkAppId: 1400000000,
  token: env.TIM_CALLBACK_TOKEN ?? null,
  on: {
    "Sns.CallbackFriendAdd": onAdd,
    "Sns.CallbackPrevFriendAdd": (c) => c.FriendItem.filter((i) => i.To_Account.startsWith("bot_")).map((i) => ({ To_Account: i.To_Account, ResultCode: 38000 })),
    // @ts-expect-error a before hook cannot return a string
    "Sns.CallbackPrevFriendResponse": () => "yes",
    // @ts-expect-error the hook's callback is the delete callback, which has no ClientCmd
    "Sns.CallbackFriendDelete": (c) => c.ClientCmd,
  },
  onUnknown: (command) => command.length,
}));
const fetchHandler: (r: Request) => Promise<Response> = webhookFetchHandler({ sdkAppId: 1400000000, token: "t", on: {} });

const emu = new Emulator({ sdkAppId: 1400000000, secretKey: "k", webhook: { url: "http://127.0.0.1:9000/cb", token: "t" } });
const log: EmulatorCallback[] = emu.callbacks();
const first = log[0]?.body;
if (first?.CallbackCommand === "Sns.CallbackFriendAdd") first.ForceFlag;
void emu.clientFriendAdd({ From_Account: "a", AddFriendItem: [{ To_Account: "b", AddSource: "AddSource_Type_Web" }] }).then((r) => r.prevCallback?.verdict);

void [reason, pairs, wrong, fetchHandler, okReply()];
