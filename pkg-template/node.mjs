// Node ESM entry: the browser glue, instantiated synchronously from the file next to it, so
// `import { genUserSig } from "tim-sns"` works with no `await init()`. Calling the default
// export (init) afterwards is a harmless no-op, so the same code runs in Node and browsers.
import { readFileSync } from "node:fs";
import { initSync } from "./web.js";

initSync({ module: readFileSync(new URL("./tim_sns_bg.wasm", import.meta.url)) });

export * from "./web.js";
export { default } from "./web.js";
