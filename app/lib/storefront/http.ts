// The storefront endpoint's HTTP pieces: refusals in one JSON error shape, bounded JSON bodies and
// the server-sent-event framing of answers.
import { BodyTooLargeError, readLimitedBody } from "../http/read-limited-body.server";

export class StorefrontRequestError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 413,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "StorefrontRequestError";
  }
}

/** A JSON body no larger than `maxBytes` (readLimitedBody), refused in the endpoint's error shape. */
export async function readCappedJson(request: Request, maxBytes: number): Promise<unknown> {
  let text: string;
  try {
    text = await readLimitedBody(request, maxBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      throw new StorefrontRequestError(413, "body_too_large", `The request body exceeds ${maxBytes} bytes.`);
    }
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new StorefrontRequestError(400, "invalid_json", "The request body must be JSON.");
  }
}

export const sseFrame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  // no-transform: intermediaries must not compress (and so buffer) the stream.
  "Cache-Control": "no-cache, no-transform",
  "X-Accel-Buffering": "no",
} as const;

export function jsonError(status: number, code: string, message: string, headers: HeadersInit = {}): Response {
  return Response.json({ error: { code, message } }, { status, headers });
}

/** The response for a refused request (StorefrontRequestError) or rethrows anything else. */
export function errorResponse(error: unknown, headers: HeadersInit = {}): Response {
  if (error instanceof StorefrontRequestError) return jsonError(error.status, error.code, error.message, headers);
  throw error;
}
