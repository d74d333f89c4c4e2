// The anonymous storefront visitor's id: the widget makes one (assets/aisle-chat.js, 32 hex digits)
// and keeps it in localStorage. Every endpoint that takes it accepts the same shape, since
// conversations and per-visitor rate limits are keyed on it.
import { z } from "zod";

export const visitorIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, "visitorId must be 8–64 letters, digits, '-' or '_'");
