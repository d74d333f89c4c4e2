// Validated configuration, read once at boot. Importing this module with a bad environment
// stops the app with a message naming each offending variable.
import { parseEnv, type Env } from "./lib/config/env-schema";

export const env: Env = parseEnv(process.env);
