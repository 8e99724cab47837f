/** The app's version, taken from package.json at build time (inlined by the bundler when compiled). */
import pkg from "../../package.json" with { type: "json" };

export const VERSION: string = pkg.version;
export const APP_NAME = "Sage";
export const APP_ID = "sage";
