// The one way Aisle builds its node-appwrite client. node-appwrite 27 asks every server for response
// format 1.9.5; Aisle is checked against Appwrite's published 1.8.0 API (decision 115), so it asks for
// that format: a 1.8 server then answers without a per-request "SDK is newer than the server" warning,
// and a newer server downgrades its answers to the models Aisle was verified against.
import { Client } from "node-appwrite";

export const APPWRITE_RESPONSE_FORMAT = "1.8.0";

export interface AppwriteConnection {
  endpoint: string;
  projectId: string;
  apiKey?: string;
}

export function createAppwriteClient({ endpoint, projectId, apiKey }: AppwriteConnection): Client {
  const client = new Client().setEndpoint(endpoint).setProject(projectId);
  if (apiKey !== undefined) client.setKey(apiKey);
  return setResponseFormat(client, APPWRITE_RESPONSE_FORMAT);
}

/**
 * The response format the client asks for. Lowered to an older server's version once that is known
 * (decision 116), so it does not warn on every request that the SDK is newer than itself.
 */
export function setResponseFormat(client: Client, version: string): Client {
  // addHeader() lower-cases the name while the SDK's default sits under this spelling, so both values
  // would be sent; the default is replaced in place instead.
  client.headers["X-Appwrite-Response-Format"] = version;
  return client;
}
