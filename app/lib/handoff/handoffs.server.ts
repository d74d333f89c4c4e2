// The handoff queue (docs/decisions/124): a shopper's request for a person, with the context packet,
// kept in the app database, listed and resolved on the dashboard, and announced to Shopify Flow by a
// durable lifecycle job (a Flow outage or a refused token is retried, the request itself is never lost).
// The email and message are customer data: data requests include them, customers/redact, shop/redact
// and chat retention erase them (wired in app/services.server.ts).
import { randomUUID } from "node:crypto";
import type { HandoffRequest, PrismaClient } from "@prisma/client";
import { sendDocument, type GraphqlTransport } from "../shopify/admin-graphql";
import { FLOW_TRIGGER_HANDLE, FLOW_TRIGGER_RECEIVE, flowPayload } from "./flow-trigger";
import { buildPacket, parsePacket, type HandoffPacket } from "./packet";
import type { HandoffReason } from "./person-request";

/** The lifecycle job topic that fires the Flow trigger (app/lib/lifecycle). */
export const FLOW_TRIGGER_TOPIC = "flow/handoff";

export interface NewHandoff {
  shop: string;
  visitorId: string;
  customerId: string | null;
  conversationId: string;
  reason: HandoffReason;
  email: string;
  message: string;
  consentText: string;
}

export interface HandoffView {
  id: string;
  conversationId: string;
  customerId: string | null;
  email: string;
  message: string;
  consentText: string;
  status: "open" | "resolved";
  flowStatus: string;
  flowError: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
  packet: HandoffPacket;
}

export interface HandoffDependencies {
  db: PrismaClient;
  /** The conversation's messages, oldest first (the customer store). */
  messages(
    shop: string,
    conversationId: string,
  ): Promise<{ role: string; text: string; productIds?: string[]; createdAt: Date }[]>;
  conversationOwner(shop: string, conversationId: string): Promise<{ visitorId: string } | null>;
  /** Records the durable Flow trigger job (LifecycleJobs.record). */
  recordJob(job: {
    webhookId: string;
    shop: string;
    topic: typeof FLOW_TRIGGER_TOPIC;
    eventAt: Date;
    input: Record<string, string>;
  }): Promise<unknown>;
  /** Where the merchant finds the queue, for the Flow payload's link. */
  queueUrl(shop: string): string;
  now?: () => Date;
}

const LIST_LIMIT = 50;

function view(row: HandoffRequest): HandoffView {
  return {
    id: row.id,
    conversationId: row.conversationId,
    customerId: row.customerId,
    email: row.email,
    message: row.message,
    consentText: row.consentText,
    status: row.status === "resolved" ? "resolved" : "open",
    flowStatus: row.flowStatus,
    flowError: row.flowError,
    createdAt: row.createdAt,
    resolvedAt: row.resolvedAt,
    packet: parsePacket(row.packet),
  };
}

export class Handoffs {
  private readonly now: () => Date;

  constructor(private readonly deps: HandoffDependencies) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Records the shopper's request with its packet, then the Flow job. Null when the conversation is not
   * this visitor's (nothing is recorded). The request is committed before the job: a job that could not be
   * recorded leaves the request in the queue, its Flow status "pending" for the dashboard to show.
   */
  async create(input: NewHandoff): Promise<{ id: string } | null> {
    const { db } = this.deps;
    const owner = await this.deps.conversationOwner(input.shop, input.conversationId);
    if (owner?.visitorId !== input.visitorId) return null;
    const packet = buildPacket(input.reason, await this.deps.messages(input.shop, input.conversationId));
    const id = randomUUID();
    const createdAt = this.now();
    await db.handoffRequest.create({
      data: {
        id,
        shop: input.shop,
        conversationId: input.conversationId,
        visitorId: input.visitorId,
        customerId: input.customerId,
        reason: input.reason,
        email: input.email,
        message: input.message,
        consentText: input.consentText,
        packet: JSON.stringify(packet),
        createdAt,
      },
    });
    await this.deps.recordJob({
      webhookId: `handoff-flow-${id}`,
      shop: input.shop,
      topic: FLOW_TRIGGER_TOPIC,
      eventAt: createdAt,
      // The id only: the job row never holds the shopper's email or message.
      input: { handoffId: id },
    });
    return { id };
  }

  /** The shop's queue: open requests first, newest first within each. */
  async list(shop: string, limit = LIST_LIMIT): Promise<HandoffView[]> {
    const rows = await this.deps.db.handoffRequest.findMany({
      where: { shop },
      orderBy: [{ status: "asc" }, { createdAt: "desc" }],
      take: Math.min(Math.max(1, limit), LIST_LIMIT),
    });
    return rows.map(view);
  }

  /** Conversations with a request for a person since `since` (Results' "handed off" share). */
  async conversationsHandedOff(shop: string, since: Date): Promise<number> {
    const rows = await this.deps.db.handoffRequest.groupBy({
      by: ["conversationId"],
      where: { shop, createdAt: { gte: since } },
    });
    return rows.length;
  }

  async openCount(shop: string): Promise<number> {
    return this.deps.db.handoffRequest.count({ where: { shop, status: "open" } });
  }

  /** The merchant marks a request resolved (or open again). False: no such request in this shop. */
  async setStatus(shop: string, id: string, status: "open" | "resolved"): Promise<boolean> {
    const { count } = await this.deps.db.handoffRequest.updateMany({
      where: { shop, id },
      data: { status, resolvedAt: status === "resolved" ? this.now() : null },
    });
    return count === 1;
  }

  /**
   * The Flow job's step: fires the trigger once for the request. A request deleted meanwhile (redacted,
   * expired) is nothing to announce. Shopify unreachable, a refused token or a GraphQL error throws, so the
   * job retries with backoff; user errors (Flow refusing this payload) would refuse every retry too, so they
   * end the job at once, recorded on the request for the dashboard.
   */
  async fireFlowTrigger(shop: string, handoffId: string, transport: () => Promise<GraphqlTransport>) {
    const { db } = this.deps;
    const row = await db.handoffRequest.findFirst({ where: { shop, id: handoffId } });
    if (!row) return "request deleted before Flow was told";
    if (row.flowStatus === "sent") return "Flow trigger already sent";
    const record = (flowStatus: string, flowError: string | null) =>
      db.handoffRequest.updateMany({ where: { id: handoffId }, data: { flowStatus, flowError } });
    let userErrors: string[];
    try {
      const payload = flowPayload({
        email: row.email,
        message: row.message,
        conversationId: row.conversationId,
        packet: parsePacket(row.packet),
        queueUrl: this.deps.queueUrl(shop),
      });
      const response = await sendDocument(await transport(), FLOW_TRIGGER_RECEIVE, {
        handle: FLOW_TRIGGER_HANDLE,
        payload,
      });
      if (response.errors?.length || !response.data?.flowTriggerReceive) {
        const errors = response.errors?.map((error) => error.message).join("; ");
        throw new Error(`Shopify did not take the Flow trigger: ${errors || "no answer"}`);
      }
      userErrors = response.data.flowTriggerReceive.userErrors.map((error) => error.message);
    } catch (error) {
      await record("retrying", (error instanceof Error ? error.message : String(error)).slice(0, 500));
      throw error;
    }
    if (userErrors.length) {
      await record("failed", `Flow refused the payload: ${userErrors.join("; ")}`.slice(0, 500));
      return "Flow refused the payload";
    }
    await record("sent", null);
    return "Flow trigger sent";
  }

  // ---- privacy ----------------------------------------------------------------------------------

  /** customers/data_request: the customer's handoff requests (the email and message they left). */
  async exportFor(shop: string, customerId: string) {
    const rows = await this.deps.db.handoffRequest.findMany({
      where: { shop, customerId },
      orderBy: { createdAt: "asc" },
    });
    return rows.map((row) => ({
      conversationId: row.conversationId,
      email: row.email,
      message: row.message,
      consentText: row.consentText,
      reason: row.reason,
      status: row.status,
      createdAt: row.createdAt.toISOString(),
    }));
  }

  /** customers/redact: every request the customer left while logged in. */
  async deleteCustomer(shop: string, customerId: string): Promise<number> {
    return (await this.deps.db.handoffRequest.deleteMany({ where: { shop, customerId } })).count;
  }

  /** shop/redact. */
  async deleteShop(shop: string): Promise<number> {
    return (await this.deps.db.handoffRequest.deleteMany({ where: { shop } })).count;
  }

  /** Chat retention: requests older than the conversations kept. */
  async deleteBefore(cutoff: Date): Promise<number> {
    return (await this.deps.db.handoffRequest.deleteMany({ where: { createdAt: { lt: cutoff } } })).count;
  }
}
