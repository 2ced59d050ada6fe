// tim-sns/webhook for Node (ESM): the wasm functions, loaded synchronously, and the handlers.
import * as core from "./node.mjs";
import { makeHandlers } from "./handlers.js";

export * from "./node.mjs";
export { default } from "./node.mjs";
export const { webhookHandler, webhookFetchHandler } = makeHandlers(core);
