// The anonymous storefront visitor's id, as it travels: the server issues it (signed-visitor-id.server.ts)
// and the widget keeps it in localStorage. Every endpoint that takes one accepts the same shape, then
// checks its signature: conversations and every per-visitor limit are keyed on it.
import { z } from "zod";

export const visitorIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, "visitorId must be 8–64 letters, digits, '-' or '_'");
