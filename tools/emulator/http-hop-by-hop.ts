/** Connection-level headers a proxy must not forward (RFC 9110 §7.6.1). */
export const HOP_BY_HOP_HEADERS = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "proxy-connection",
  "te",
  "trailer",
]);
