// Types of tim-sns/webhook: the wasm functions and types (web.d.ts) plus the two handlers.
import type { WebhookHandlerOptions } from "./web.js";

export * from "./web.js";
export { default } from "./web.js";

/** The parts of a Node `IncomingMessage` the handler reads (node:http, Express, Fastify raw). */
export interface WebhookNodeRequest {
  /** The HTTP method; only `POST` is accepted. */
  method?: string | undefined;
  /** The path and query, which carries the callback's signature. */
  url?: string | undefined;
  /** The body stream (not read when a body parser already set `body`). */
  on(event: "data" | "end" | "error", listener: (chunk?: any) => void): unknown;
  /** Drains a body that is not read. */
  resume(): unknown;
}
/** The parts of a Node `ServerResponse` the handler writes. */
export interface WebhookNodeResponse {
  /** Whether a reply was already started (then the handler writes nothing). */
  headersSent?: boolean | undefined;
  /** Starts the reply. */
  writeHead(status: number, headers?: Record<string, string>): unknown;
  /** Ends the reply with its body. */
  end(body?: string): unknown;
}

/**
 * A Node `(req, res)` listener: verifies each callback (SdkAppid, Sign, RequestTime), parses
 * it, calls `options.on[CallbackCommand]` and replies. Unknown commands get the OK reply and
 * `onUnknown`; a hook that throws gives a failure reply (HTTP 500, ErrorCode 1), never a crash;
 * bodies over `maxBodyBytes` get HTTP 413. Throws a `ValidationError` for bad options.
 *
 * @example
 * import { createServer } from "node:http";
 * import { webhookHandler } from "tim-sns/webhook";
 * createServer(webhookHandler({ sdkAppId: 1400000000, token: process.env.TIM_CALLBACK_TOKEN ?? null,
 *   on: { "Sns.CallbackFriendAdd": (cb) => console.log(cb.PairList) } })).listen(8080);
 */
export function webhookHandler(options: WebhookHandlerOptions): (req: WebhookNodeRequest, res: WebhookNodeResponse) => void;

/**
 * The same handler for fetch-style servers (Hono, Cloudflare Workers, Deno, Bun):
 * `(request: Request) => Promise<Response>`.
 *
 * @example
 * import { webhookFetchHandler } from "tim-sns/webhook";
 * export default { fetch: webhookFetchHandler({ sdkAppId: 1400000000, token: process.env.TIM_CALLBACK_TOKEN ?? null, on: {} }) };
 */
export function webhookFetchHandler(options: WebhookHandlerOptions): (request: Request) => Promise<Response>;
