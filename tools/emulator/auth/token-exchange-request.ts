// The token-exchange request exactly as @shopify/shopify-api sends it, for callers without the library
// (benchmarks, tests of the emulator alone). Returns the raw response.
export function requestTokenExchange(input: {
  emulatorUrl: string;
  shop: string;
  sessionToken: string;
  apiKey: string;
  apiSecret: string;
  expiring?: boolean;
}): Promise<Response> {
  return fetch(`${input.emulatorUrl}/shops/${input.shop}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({
      client_id: input.apiKey,
      client_secret: input.apiSecret,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: input.sessionToken,
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      expiring: input.expiring === false ? "0" : "1",
    }),
  });
}
