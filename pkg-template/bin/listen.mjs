// Starting a server on 127.0.0.1: a port that is taken or not allowed is one clear line (exit 6)
// naming the flag that changes it, not an 'error' event's stack trace.
import { CliError } from "./exit.mjs";
import { integer } from "./flags.mjs";

/** The `--port` flag's value (0 picks a free port); a usage error unless 0..65535. */
export function portFlag(values, name = "port") {
  return integer(values, name, { min: 0, max: 65535, fallback: 8080 });
}

/** Listens on 127.0.0.1:`port`; resolves the port bound, rejects with a `CliError("listen")`. */
export function listen(server, port, flag = "--port") {
  return new Promise((resolve, reject) => {
    const onError = (e) => {
      const why = e.code === "EADDRINUSE" ? "is in use" : e.code === "EACCES" ? "is not allowed for this user" : `cannot be used (${e.code ?? e.message})`;
      reject(new CliError("listen", `port ${port} on 127.0.0.1 ${why}: choose another with ${flag} N (${flag} 0 picks a free one)`));
    };
    server.once("error", onError);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", onError);
      resolve(server.address().port);
    });
  });
}
