// Serves the repository root on 127.0.0.1 (default port 8080, or --port N) so that the
// debugging page at /www/ can import ../pkg/web.js. Stop with Ctrl-C.
import { fileURLToPath } from "node:url";
import { serve } from "./static-server.mjs";

const at = process.argv.indexOf("--port");
const port = at > 0 ? Number(process.argv[at + 1]) : 8080;
const { url } = await serve(fileURLToPath(new URL("..", import.meta.url)), { port });
console.log(`tim-sns debugging page: ${url}www/   (Ctrl-C to stop)`);
