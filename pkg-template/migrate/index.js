// tim-sns/migrate for browsers and bundlers: call the default export (init) once first, as
// with the other entries' web build.
import * as core from "./web.js";
import { installMigration } from "./migrate.js";

installMigration(core);
export * from "./web.js";
export { default } from "./web.js";
