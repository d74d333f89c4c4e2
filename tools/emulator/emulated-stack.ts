// Aisle's whole local stack wired to the store emulator: the app process preloads the fetch seam, so
// its real @shopify/shopify-api calls reach the emulator; the emulator sends webhooks and proxy requests
// to the app. Used by `npm run demo` and the tests.
import { freePort } from "../lib/ports";
import { registerCleanup } from "../lib/process-lifecycle";
import { DEMO_APP_CREDENTIALS, startStack, type RunningStack } from "../stack";
import { FETCH_SEAM_MODULE, startStoreEmulator, type StoreEmulator, type StoreEmulatorOptions } from "./index";

export interface EmulatedStack {
  stack: RunningStack;
  emulator: StoreEmulator;
  stop(): Promise<void>;
}

export async function startEmulatedStack(options: {
  dataDir: string;
  appPort?: number;
  chromaPort?: number;
  emulatorPort?: number;
  env?: Record<string, string>;
  echo?: boolean;
  emulator?: Partial<StoreEmulatorOptions>;
  beforeApp?: (databaseUrl: string) => Promise<void>;
  /**
   * Where the admin pages load App Bridge from: the emulator's stand-in (default: pages work offline), or
   * Shopify's CDN as in production (APP_BRIDGE_URL unset; a browser here cannot run those pages).
   */
  appBridge?: "emulator" | "shopify-cdn";
}): Promise<EmulatedStack> {
  const appPort = options.appPort ?? (await freePort());
  const emulator = await startStoreEmulator({
    app: { ...DEMO_APP_CREDENTIALS, appUrl: `http://127.0.0.1:${appPort}` },
    port: options.emulatorPort,
    ...options.emulator,
  });
  // Stopped with everything else even when the start below is interrupted (its temp dir goes too).
  const forgetEmulator = registerCleanup(() => emulator.stop());
  const stopEmulator = async () => {
    forgetEmulator();
    await emulator.stop();
  };
  try {
    const stack = await startStack({
      dataDir: options.dataDir,
      appPort,
      chromaPort: options.chromaPort ?? (await freePort()),
      echo: options.echo,
      imports: [FETCH_SEAM_MODULE],
      beforeApp: options.beforeApp,
      env: {
        SHOPIFY_EMULATOR_URL: emulator.url,
        ...(options.appBridge === "shopify-cdn" ? {} : { APP_BRIDGE_URL: `${emulator.url}/app-bridge.js` }),
        ...options.env,
      },
    });
    return {
      stack,
      emulator,
      async stop() {
        await stack.stop();
        await stopEmulator();
      },
    };
  } catch (error) {
    await stopEmulator();
    throw error;
  }
}
