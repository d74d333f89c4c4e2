// `npx tsx tools/appwrite-emulator/start.ts [--port 8090] [--project aisle-local] [--key <key>]
// [--appwrite-version 1.8.0]`: runs the local Appwrite emulator so the app can be tried with
// CUSTOMER_STORE=appwrite offline (as an older Appwrite with e.g. --appwrite-version 1.6.2).
// In-memory: its data is gone when it stops.
import { parseArgs } from "node:util";
import { EMULATED_VERSION, startAppwriteEmulator } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8090" },
    project: { type: "string", default: "aisle-local" },
    key: { type: "string", default: "aisle-local-appwrite-key" },
    "appwrite-version": { type: "string", default: EMULATED_VERSION },
  },
});

const emulator = await startAppwriteEmulator({
  port: Number(values.port),
  projectId: values.project!,
  apiKey: values.key!,
  version: values["appwrite-version"],
});
console.log(`Appwrite emulator (as Appwrite ${values["appwrite-version"]}) listening. Point the app at it with:
  CUSTOMER_STORE=appwrite
  APPWRITE_ENDPOINT=${emulator.endpoint}
  APPWRITE_PROJECT_ID=${values.project}
  APPWRITE_API_KEY=${values.key}`);
const stop = () => void emulator.stop().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
