// tim-sns/migrate for Node (ESM): the client of this entry's wasm, with exportUsers,
// diffUsers and restoreUsers installed on SnsClient.
import * as core from "./node.mjs";
import { installMigration } from "./migrate.js";

installMigration(core);
export * from "./node.mjs";
export { default } from "./node.mjs";
