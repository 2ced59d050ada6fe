// Types of tim-sns/webhook: the wasm functions and types (web.d.ts) plus the two handlers.
import type { WebhookHandlerOptions } from "./web.js";

export * from "./web.js";
export { default } from "./web.js";

/** The parts of a Node `IncomingMessage` the handler reads (node:http, Express, Fastify raw). */
export interface WebhookNodeRequest {
  method?: string | undefined;
  url?: string | undefined;
  on(event: "data" | "end" | "error", listener: (chunk?: any) => void): unknown;
  resume(): unknown;
}
/** The parts of a Node `ServerResponse` the handler writes. */
export interface WebhookNodeResponse {
  headersSent?: boolean | undefined;
  writeHead(status: number, headers?: Record<string, string>): unknown;
  end(body?: string): unknown;
}

/**
 * A Node `(req, res)` listener: verifies each callback (SdkAppid, Sign, RequestTime), parses
 * it, calls `options.on[CallbackCommand]` and replies. Unknown commands get the OK reply and
 * `onUnknown`; a hook that throws gives a failure reply (HTTP 500, ErrorCode 1), never a crash;
 * bodies over `maxBodyBytes` get HTTP 413. Throws a `ValidationError` for bad options.
 *
 * @example
 * createServer(webhookHandler({ sdkAppId: 1400000000, token: process.env.TIM_CALLBACK_TOKEN ?? null,
 *   on: { "Sns.CallbackFriendAdd": (cb) => console.log(cb.PairList) } })).listen(8080);
 */
export function webhookHandler(options: WebhookHandlerOptions): (req: WebhookNodeRequest, res: WebhookNodeResponse) => void;

/**
 * The same handler for fetch-style servers (Hono, Cloudflare Workers, Deno, Bun):
 * `(request: Request) => Promise<Response>`.
 *
 * @example
 * export default { fetch: webhookFetchHandler({ sdkAppId: 1400000000, token: env.TOKEN, on: {} }) };
 */
export function webhookFetchHandler(options: WebhookHandlerOptions): (request: Request) => Promise<Response>;
