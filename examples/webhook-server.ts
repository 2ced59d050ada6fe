// A webhook server for node:http and the same handler for fetch-style servers: the emulator
// signs and sends the relationship-chain callbacks to it.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { webhookHandler, webhookFetchHandler, type SnsCallbackOf } from "tim-sns/webhook";
import { Emulator } from "tim-sns/emulator";

const SDK_APP_ID = 1400000000, TOKEN = "example-token";

async function main(): Promise<void> {
  const onAdd = (cb: SnsCallbackOf<"Sns.CallbackFriendAdd">): void => console.log("friends added:", cb.PairList.map((p) => `${p.From_Account}->${p.To_Account}`).join(" "));
  const server: Server = createServer(webhookHandler({ sdkAppId: SDK_APP_ID, token: TOKEN, on: { "Sns.CallbackFriendAdd": onAdd } }));
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  try {
    const emulator = new Emulator({ sdkAppId: SDK_APP_ID, secretKey: "example-key", webhook: { url, token: TOKEN } });
    emulator.importAccounts(["alice", "bob"]);
    emulator.setAllowType("bob", "AllowType_Type_AllowAny");
    await emulator.clientFriendAdd({ From_Account: "alice", AddFriendItem: [{ To_Account: "bob", AddSource: "AddSource_Type_Web" }] });
    await emulator.flushCallbacks();
  } finally {
    server.close();
  }

  // The fetch-style handler (Hono, Workers, Deno, Bun) answers a Request with a Response.
  const handle = webhookFetchHandler({ sdkAppId: SDK_APP_ID, token: null, on: {} });
  const reply = await handle(new Request(`https://app.example/cb?SdkAppid=${SDK_APP_ID}&CallbackCommand=Sns.CallbackFriendDelete&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI`, {
    method: "POST", body: JSON.stringify({ CallbackCommand: "Sns.CallbackFriendDelete", PairList: [{ From_Account: "alice", To_Account: "bob" }] }),
  }));
  console.log("fetch handler:", reply.status, await reply.text());
}

void main();
