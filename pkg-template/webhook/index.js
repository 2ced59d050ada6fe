// tim-sns/webhook for browsers, Workers, Deno and bundlers: call the default export (init)
// once before handling requests, as with the other entries' web build.
import * as core from "./web.js";
import { makeHandlers } from "./handlers.js";

export * from "./web.js";
export { default } from "./web.js";
export const { webhookHandler, webhookFetchHandler } = makeHandlers(core);
