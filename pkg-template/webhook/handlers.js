// The Node and fetch-style webhook handlers: they only read requests and write responses.
// What to do with a request (refuse it, call which hook, what to reply) is decided by the
// wasm core through webhookIntake and webhookFinish.

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };
const DEFAULT_MAX_BODY_BYTES = 1 << 20;

/** Builds the two handler factories over the wasm functions of one entry. */
export function makeHandlers(core) {
  async function guarded(hook, args, onError, callback) {
    try {
      return { ok: true, value: await hook(...args) };
    } catch (error) {
      try {
        (onError ?? ((e) => console.error("tim-sns webhook handler:", e)))(error, callback);
      } catch {
        // An onError that throws must not crash the server either.
      }
      return { ok: false };
    }
  }

  /** The reply to one request, as { status, body }. */
  async function respond(options, method, url, body, tooLarge) {
    const d = core.webhookIntake(options, method ?? "", url ?? "", body, tooLarge);
    if (d.kind === "refuse") {
      if (options.onRefused) await guarded(options.onRefused, [{ status: d.status, reason: d.reason, message: d.message }, { url }], options.onError);
      return { status: d.status, body: JSON.stringify(d.reply) };
    }
    const info = { url, verification: d.verification };
    const failed = { status: d.failureStatus, body: JSON.stringify(d.failure) };
    if (d.kind === "unknown") {
      if (options.onUnknown && !(await guarded(options.onUnknown, [d.command, d.body, info], options.onError, d.body)).ok) return failed;
      return { status: 200, body: JSON.stringify(d.reply) };
    }
    const hook = options.on?.[d.command];
    const result = hook ? await guarded(hook, [d.callback, info], options.onError, d.callback) : { ok: true, value: undefined };
    if (!result.ok) return failed;
    // "After" hooks' results are ignored; a "before" hook's result becomes its reply.
    const finished = await guarded((r) => core.webhookFinish(d.callback, r), [d.before ? (result.value ?? null) : null], options.onError, d.callback);
    return finished.ok ? { status: 200, body: JSON.stringify(finished.value) } : failed;
  }

  /** A Node `(req, res)` listener for node:http, Express (before any body parser, or after
   * express.text()/raw()/json()) and Fastify's raw request/response. */
  function webhookHandler(options) {
    core.webhookCheckOptions(options);
    const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const send = (res, r) => {
      if (!res.headersSent) res.writeHead(r.status, JSON_HEADERS);
      res.end(r.body);
    };
    return (req, res) => {
      const finish = (body, tooLarge) =>
        respond(options, req.method, req.originalUrl ?? req.url, body, tooLarge).then(
          (r) => send(res, r),
          () => send(res, { status: 500, body: '{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":"internal error"}' }),
        );
      // A body parser already ran (Express): use what it read.
      if (typeof req.body === "string") return void finish(req.body, false);
      if (req.body instanceof Uint8Array) return void finish(new TextDecoder().decode(req.body), false);
      if (req.body && typeof req.body === "object" && req.readableEnded) return void finish(JSON.stringify(req.body), false);
      const chunks = [];
      let size = 0;
      let done = false;
      req.on("data", (chunk) => {
        if (done) return;
        size += chunk.length;
        if (size > max) {
          // Answer at once and drop the rest unread.
          done = true;
          chunks.length = 0;
          finish("", true);
          req.resume();
          return;
        }
        chunks.push(chunk);
      });
      req.on("end", () => {
        if (done) return;
        done = true;
        const bytes = new Uint8Array(size);
        let at = 0;
        for (const c of chunks) {
          bytes.set(c, at);
          at += c.length;
        }
        finish(new TextDecoder().decode(bytes), false);
      });
      req.on("error", () => {
        done = true;
      });
    };
  }

  /** A `(Request) => Promise<Response>` handler for fetch-style servers (Hono, Workers, Deno, Bun). */
  function webhookFetchHandler(options) {
    core.webhookCheckOptions(options);
    const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    return async (request) => {
      let body = "";
      let tooLarge = Number(request.headers.get("content-length") ?? 0) > max;
      if (!tooLarge && request.body) {
        const reader = request.body.getReader();
        const chunks = [];
        let size = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          size += value.length;
          if (size > max) {
            tooLarge = true;
            await reader.cancel();
            break;
          }
          chunks.push(value);
        }
        if (!tooLarge) {
          const bytes = new Uint8Array(size);
          let at = 0;
          for (const c of chunks) {
            bytes.set(c, at);
            at += c.length;
          }
          body = new TextDecoder().decode(bytes);
        }
      }
      const r = await respond(options, request.method, request.url, body, tooLarge);
      return new Response(r.body, { status: r.status, headers: JSON_HEADERS });
    };
  }

  return { webhookHandler, webhookFetchHandler };
}
