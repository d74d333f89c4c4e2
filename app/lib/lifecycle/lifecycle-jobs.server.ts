// Compliance and uninstall webhooks as durable jobs (docs/decisions/102). The route records a job
// once per webhook id and answers 200; a worker in any app process claims it with a lease (one
// conditional UPDATE: safe with any number of processes, on SQLite and Postgres), renews the lease
// while it works, runs the job's steps in order and records each finished step, so a retry or
// another process resumes after the last one. A failure is retried with backoff until the
// attempt budget is spent; a process that dies leaves a lease that expires and the job is taken
// over. Jobs of one shop run in event order (app/uninstalled before its shop/redact).
import { randomUUID } from "node:crypto";
import type { LifecycleJob, PrismaClient } from "@prisma/client";
import { PollLoop } from "../jobs/poll-loop";
import type { Logger } from "../logger.server";
import { isUniqueViolation } from "../db/prisma-errors";
import { backoffMs } from "../sync/sync-worker.server";

/** Uninstall and the compliance topics: the jobs the dashboard lists (decision 102). */
export const PRIVACY_TOPICS = ["app/uninstalled", "shop/redact", "customers/redact", "customers/data_request"] as const;
/**
 * Customer and order records for the assistant (decision 108): jobs too, so that a delivery is answered
 * while the customer store (Appwrite) is down, and applied in event order with the shop's privacy jobs.
 */
export const CUSTOMER_RECORD_TOPICS = [
  "customers/create",
  "customers/update",
  "customers/delete",
  "orders/create",
  "orders/updated",
] as const;
/** The app's own events that must reach Shopify whatever its state: the handoff's Flow trigger (decision 124). */
export const APP_EVENT_TOPICS = ["flow/handoff"] as const;
export const LIFECYCLE_TOPICS = [...PRIVACY_TOPICS, ...CUSTOMER_RECORD_TOPICS, ...APP_EVENT_TOPICS] as const;
export type LifecycleTopic = (typeof LIFECYCLE_TOPICS)[number];
export type LifecycleJobStatus = "pending" | "running" | "retrying" | "done" | "failed";
const ACTIVE: LifecycleJobStatus[] = ["pending", "running", "retrying"];

export interface NewLifecycleJob {
  webhookId: string;
  shop: string;
  topic: LifecycleTopic;
  /** When the event happened (X-Shopify-Triggered-At), else when it was received. */
  eventAt: Date;
  /** The few fields the job needs (customer id, request id): never the whole body. */
  input: Record<string, string>;
}

export interface RunnableJob {
  webhookId: string;
  shop: string;
  topic: LifecycleTopic;
  eventAt: Date;
  input: Record<string, string>;
}

/** One piece of a job. Idempotent: a crash halfway through means it runs again. */
export interface JobStep {
  name: string;
  /** May say what it did (no personal data); the last such word becomes the job's outcome. */
  run(): Promise<string | void>;
}

export interface JobPlan {
  /** Checked before every step: a reason to finish without doing more (e.g. reinstalled since). */
  skip?: () => Promise<string | null>;
  steps: JobStep[];
}

export type PlanJob = (job: RunnableJob) => JobPlan;

export interface LifecycleJobSettings {
  leaseMs: number;
  maxBackoffMs: number;
  /** Attempts before a job is marked failed (and shown so on the dashboard). */
  maxAttempts: number;
  pollIntervalMs: number;
}

/** 40 attempts with backoff up to an hour: about 30 hours of outage before a job gives up. */
export const DEFAULT_LIFECYCLE_JOB_SETTINGS: LifecycleJobSettings = {
  leaseMs: 120_000,
  maxBackoffMs: 3_600_000,
  maxAttempts: 40,
  pollIntervalMs: 1000,
};

export interface LifecycleJobDependencies {
  db: PrismaClient;
  log: Logger;
  plan: PlanJob;
  settings?: Partial<LifecycleJobSettings>;
  now?: () => Date;
}

/** What the dashboard shows of a job: no input (customer ids), only its state. */
export type LifecycleJobView = Pick<
  LifecycleJob,
  "webhookId" | "topic" | "status" | "attempts" | "lastError" | "outcome" | "eventAt" | "createdAt" | "finishedAt"
>;

class LeaseLostError extends Error {
  constructor() {
    super("the job's lease was taken over by another worker");
  }
}

export class LifecycleJobs {
  readonly id = `lifecycle-${randomUUID()}`;
  readonly settings: LifecycleJobSettings;
  private readonly now: () => Date;
  private readonly loop = new PollLoop(
    async () => {
      const claimed = await this.claim();
      if (!claimed) return false;
      // A failed attempt pauses the loop (PollLoop): during an outage of the customer store every job
      // would fail the same way, and a burst of recorded jobs would otherwise retry one per delivery.
      return (await this.run(claimed)) ? true : "failed";
    },
    (error) => this.deps.log.error({ err: error }, "lifecycle job pass failed"),
  );

  constructor(readonly deps: LifecycleJobDependencies) {
    this.settings = { ...DEFAULT_LIFECYCLE_JOB_SETTINGS, ...deps.settings };
    this.now = deps.now ?? (() => new Date());
  }

  /** The webhook route: records the job unless this delivery was recorded before. */
  async record(job: NewLifecycleJob): Promise<"recorded" | "duplicate"> {
    const { db } = this.deps;
    const { webhookId, shop, topic } = job;
    if (await db.lifecycleJob.findUnique({ where: { webhookId }, select: { webhookId: true } })) return "duplicate";
    try {
      await db.lifecycleJob.create({
        data: {
          webhookId,
          shop,
          topic,
          eventAt: job.eventAt,
          input: JSON.stringify(job.input),
          nextAttemptAt: this.now(),
        },
      });
    } catch (error) {
      if (isUniqueViolation(error)) return "duplicate"; // a concurrent copy of the delivery won
      throw error;
    }
    this.transition({ webhookId, shop, topic }, "pending");
    this.loop.nudge();
    return "recorded";
  }

  /** The shop's latest jobs of `topics`, newest first (dashboard: the privacy and uninstall ones). */
  list(shop: string, limit = 20, topics: readonly string[] = PRIVACY_TOPICS): Promise<LifecycleJobView[]> {
    return this.deps.db.lifecycleJob.findMany({
      where: { shop, topic: { in: [...topics] } },
      orderBy: { createdAt: "desc" },
      take: limit,
      select: {
        webhookId: true,
        topic: true,
        status: true,
        attempts: true,
        lastError: true,
        outcome: true,
        eventAt: true,
        createdAt: true,
        finishedAt: true,
      },
    });
  }

  /**
   * A person retries a `failed` job of `shop` (dashboard): it runs again from its last finished step, with
   * a fresh attempt budget, as soon as a worker is free. False when there is no such failed job.
   */
  async retry(shop: string, webhookId: string): Promise<boolean> {
    const { count } = await this.deps.db.lifecycleJob.updateMany({
      where: { webhookId, shop, status: "failed" },
      data: { status: "retrying", attempts: 0, nextAttemptAt: this.now(), finishedAt: null },
    });
    if (!count) return false;
    const job = await this.deps.db.lifecycleJob.findUniqueOrThrow({ where: { webhookId }, select: { topic: true } });
    this.transition({ webhookId, shop, topic: job.topic }, "retrying", { by: "merchant" });
    this.loop.nudge();
    return true;
  }

  /** Claims one due job and runs it (to completion, or until a step fails). False: nothing due. */
  async runOnce(): Promise<boolean> {
    const claimed = await this.claim();
    if (!claimed) return false;
    await this.run(claimed);
    return true;
  }

  /** Runs every job that is due now, one after another; says how many ran. */
  async drain(): Promise<number> {
    let ran = 0;
    while (await this.runOnce()) ran++;
    return ran;
  }

  private leaseFree(now: Date) {
    return [{ leaseUntil: null }, { leaseUntil: { lt: now } }];
  }

  private async claim(): Promise<LifecycleJob | null> {
    const { db } = this.deps;
    const now = this.now();
    const order = [{ eventAt: "asc" as const }, { createdAt: "asc" as const }, { webhookId: "asc" as const }];
    // Shops whose earliest unfinished job is not due (or is running): their later jobs wait, and must not
    // hide other shops' jobs from this pass (a burst queues many jobs of one shop).
    const blocked: string[] = [];
    for (let round = 0; round < 10; round++) {
      const candidates = await db.lifecycleJob.findMany({
        where: {
          status: { in: ACTIVE },
          nextAttemptAt: { lte: now },
          OR: this.leaseFree(now),
          ...(blocked.length ? { shop: { notIn: blocked } } : {}),
        },
        orderBy: order,
        take: 20,
      });
      if (!candidates.length) return null;
      // Only the earliest unfinished webhook job of a shop may run (a redact waits for its uninstall). The
      // app's own events are outside that order: a Flow trigger retrying through a Shopify outage must not
      // hold up a shop's privacy jobs, nor wait for them.
      const heads = new Map<string, string>();
      for (const shop of new Set(candidates.map((job) => job.shop))) {
        const head = await db.lifecycleJob.findFirst({
          where: { shop, status: { in: ACTIVE }, topic: { notIn: [...APP_EVENT_TOPICS] } },
          orderBy: order,
          select: { webhookId: true },
        });
        if (head) heads.set(shop, head.webhookId);
      }
      for (const job of candidates) {
        const ordered = !(APP_EVENT_TOPICS as readonly string[]).includes(job.topic);
        if (ordered && heads.get(job.shop) !== job.webhookId) {
          if (!blocked.includes(job.shop)) blocked.push(job.shop);
          continue;
        }
        const leaseOwner = `${this.id}:${randomUUID()}`;
        const taken = await db.lifecycleJob.updateMany({
          where: { webhookId: job.webhookId, status: { in: ACTIVE }, OR: this.leaseFree(now) },
          data: { status: "running", leaseOwner, leaseUntil: new Date(now.getTime() + this.settings.leaseMs) },
        });
        if (taken.count === 1) return { ...job, status: "running", leaseOwner };
        blocked.push(job.shop); // another worker took it: the shop's next job waits for it
      }
    }
    return null;
  }

  /** Runs the job's remaining steps; false when an attempt failed (it is then retried with backoff). */
  private async run(job: LifecycleJob): Promise<boolean> {
    const { db, log } = this.deps;
    const ref = { webhookId: job.webhookId, shop: job.shop, topic: job.topic };
    const owned = { webhookId: job.webhookId, leaseOwner: job.leaseOwner };
    this.transition(ref, "running", { attempt: job.attempts + 1, stepsDone: job.stepsDone });
    let lost = false;
    const renew = async () => {
      const until = new Date(this.now().getTime() + this.settings.leaseMs);
      const renewed = await db.lifecycleJob.updateMany({ where: owned, data: { leaseUntil: until } });
      if (renewed.count === 0) lost = true;
    };
    // Keeps the claim while a long step (a big shop's collections) runs.
    const heartbeat = setInterval(() => {
      renew().catch((error: unknown) => log.warn({ ...ref, err: error }, "lifecycle job lease renewal failed"));
    }, this.settings.leaseMs / 3);
    heartbeat.unref();
    let outcome = "done";
    try {
      const plan = this.deps.plan({
        webhookId: job.webhookId,
        shop: job.shop,
        topic: job.topic as LifecycleTopic,
        eventAt: job.eventAt,
        input: JSON.parse(job.input) as Record<string, string>,
      });
      for (let step = job.stepsDone; step < plan.steps.length; step++) {
        if (lost) throw new LeaseLostError();
        const skipped = await plan.skip?.();
        if (skipped) {
          outcome = skipped;
          break;
        }
        outcome = (await plan.steps[step].run()) || outcome;
        const recorded = await db.lifecycleJob.updateMany({ where: owned, data: { stepsDone: step + 1 } });
        if (recorded.count === 0) throw new LeaseLostError();
      }
      const done = await db.lifecycleJob.updateMany({
        where: owned,
        // Finished: the row keeps no customer id (a later redact must find no trace of the customer).
        data: {
          status: "done",
          input: "{}",
          outcome,
          attempts: job.attempts + 1,
          finishedAt: this.now(),
          leaseOwner: null,
          leaseUntil: null,
        },
      });
      if (done.count === 0) throw new LeaseLostError();
      this.transition(ref, "done", { attempts: job.attempts + 1, outcome });
      return true;
    } catch (error) {
      if (error instanceof LeaseLostError) {
        log.warn(ref, "lifecycle job taken over by another worker; stopped here");
        return true;
      }
      await this.fail(job, error);
      return false;
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async fail(job: LifecycleJob, error: unknown) {
    const attempts = job.attempts + 1;
    const lastError = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    const failed = attempts >= this.settings.maxAttempts;
    const nextAttemptAt = new Date(this.now().getTime() + backoffMs(attempts, this.settings.maxBackoffMs));
    await this.deps.db.lifecycleJob.updateMany({
      where: { webhookId: job.webhookId, leaseOwner: job.leaseOwner },
      data: {
        status: failed ? "failed" : "retrying",
        attempts,
        lastError,
        nextAttemptAt,
        leaseOwner: null,
        leaseUntil: null,
        ...(failed ? { finishedAt: this.now() } : {}),
      },
    });
    const ref = { webhookId: job.webhookId, shop: job.shop, topic: job.topic };
    this.transition(ref, failed ? "failed" : "retrying", {
      attempts,
      error: lastError,
      ...(failed ? {} : { nextAttemptAt }),
    });
  }

  /** One log line per state change; job ids, shop and topic only (never the input). */
  private transition(
    ref: { webhookId: string; shop: string; topic: string },
    status: LifecycleJobStatus,
    details: Record<string, unknown> = {},
  ) {
    const line = { job: ref.webhookId, shop: ref.shop, topic: ref.topic, status, ...details };
    if (status === "failed") this.deps.log.error(line, "lifecycle job failed");
    else if (status === "retrying") this.deps.log.warn(line, "lifecycle job will retry");
    else this.deps.log.info(line, `lifecycle job ${status}`);
  }

  /** Background: runs due jobs, polling every `pollIntervalMs` (or at once when a job is recorded). */
  start() {
    this.loop.start(this.settings.pollIntervalMs);
  }

  stop() {
    return this.loop.stop();
  }
}
