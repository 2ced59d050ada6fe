// `tim-sns` for Node (ESM): the Node build's wasm (the client with the bulk helpers and the
// migration core), loaded synchronously, with exportUsers, diffUsers and restoreUsers installed
// on its SnsClient.
import * as core from "./node.mjs";
import { installMigration } from "./migrate.js";

installMigration(core);
export * from "./node.mjs";
export { default } from "./node.mjs";
export { nodeHttpFetch } from "./http-fetch.js";
