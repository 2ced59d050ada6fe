// A CommonJS project on the old resolution (module commonjs, moduleResolution node10), which
// reads `main`/`types` and folders, not the exports map.
import { SnsClient, genUserSig, isApiError } from "tim-sns";
import { parseCallback } from "tim-sns/webhook";
import { Emulator } from "tim-sns/emulator";

const sig: string = genUserSig({ sdkAppId: 1, secretKey: "k", identifier: "a" });
const client = new SnsClient({ sdkAppId: 1, identifier: "a", secretKey: "k", baseUrl: "http://127.0.0.1:1" });
export async function main(): Promise<number> {
  const emulator = new Emulator({ sdkAppId: 1, secretKey: "k" });
  void emulator;
  try {
    const r = await client.friendCheck({ From_Account: "a", To_Account: ["b"], CheckType: "CheckResult_Type_Both" });
    return r.InfoItem.length;
  } catch (e) {
    if (isApiError(e)) return e.errorCode;
    throw e;
  }
}
export const kind: string = parseCallback("https://x/?CallbackCommand=Sns.CallbackFriendAdd", "{}").CallbackCommand + sig;
