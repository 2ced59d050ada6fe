// The client every example uses: Tencent's service when TIM_SECRET_KEY and TIM_REGION are set,
// else an emulator in this process (no account needed), with the users the examples name.
import { SnsClient, type SnsClientOptions } from "tim-sns/node";
import { Emulator } from "tim-sns/emulator";

export const SDK_APP_ID = Number(process.env["TIM_SDKAPPID"] ?? 1400000000);

/** A client of the real service, or of a fresh emulator holding `users`. */
export function connect(users: string[], extra: Partial<SnsClientOptions> = {}): { client: SnsClient; emulator: Emulator | null } {
  const secretKey = process.env["TIM_SECRET_KEY"];
  const region = process.env["TIM_REGION"];
  if (secretKey && region) {
    return { client: new SnsClient({ sdkAppId: SDK_APP_ID, identifier: "administrator", secretKey, region, ...extra }), emulator: null };
  }
  const emulator = new Emulator({ sdkAppId: SDK_APP_ID, secretKey: "example-key" });
  emulator.importAccounts(users);
  const client = new SnsClient({ sdkAppId: SDK_APP_ID, identifier: "administrator", secretKey: "example-key", baseUrl: "http://emulator.local", fetch: emulator.fetch, ...extra });
  return { client, emulator };
}
