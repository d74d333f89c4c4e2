// Store knowledge in the app database (decision 125): sources with their passages and vectors,
// written only when a source's text changed and ranked per question next to the shop's rows. Every
// query is scoped by shop, like the product catalog; shop/redact and uninstall drop it all.
import type { Embeddings } from "@langchain/core/embeddings";
import type { PrismaClient } from "@prisma/client";
import { rankPassages, type RankedPassage } from "./knowledge-ranking";
import {
  knowledgeHash,
  passageSearchText,
  passagesOf,
  type KnowledgeKind,
  type KnowledgeSourceInput,
} from "./passages";

/** Passages one shop may hold: ranking reads them all, so this bounds a question's work. */
export const MAX_PASSAGES_PER_SHOP = 2000;

export interface KnowledgePassageRow {
  id: number;
  kind: KnowledgeKind;
  sourceTitle: string;
  url: string | null;
  heading: string | null;
  text: string;
  vector: number[];
}

export type KnowledgeHit = RankedPassage<KnowledgePassageRow>;

export interface SyncReport {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  /** Sources left out because the shop reached MAX_PASSAGES_PER_SHOP. */
  skipped: number;
}

export interface KnowledgeStoreOptions {
  db: PrismaClient;
  embeddings: Embeddings;
  /** "provider:model" of `embeddings`: passages embedded by another model are embedded again. */
  embeddingModel: string;
}

export class KnowledgeStore {
  private readonly db: PrismaClient;
  private readonly embeddings: Embeddings;
  private readonly embeddingModel: string;

  constructor(options: KnowledgeStoreOptions) {
    this.db = options.db;
    this.embeddings = options.embeddings;
    this.embeddingModel = options.embeddingModel;
  }

  /**
   * Makes the shop's sources of these kinds exactly `sources`: new and changed ones are cut and
   * embedded, unchanged ones left alone, the others removed.
   */
  async sync(shop: string, kinds: KnowledgeKind[], sources: KnowledgeSourceInput[]): Promise<SyncReport> {
    const report: SyncReport = { added: 0, updated: 0, unchanged: 0, removed: 0, skipped: 0 };
    const existing = await this.db.knowledgeSource.findMany({
      where: { shop, kind: { in: kinds } },
      select: { id: true, kind: true, sourceId: true, contentHash: true, embeddingModel: true },
    });
    const wanted = new Set(sources.map((s) => `${s.kind}\u0000${s.sourceId}`));
    const gone = existing.filter((row) => !wanted.has(`${row.kind}\u0000${row.sourceId}`));
    if (gone.length) {
      await this.db.knowledgeSource.deleteMany({ where: { id: { in: gone.map((row) => row.id) } } });
      report.removed = gone.length;
    }
    const byKey = new Map(existing.map((row) => [`${row.kind}\u0000${row.sourceId}`, row]));
    for (const source of sources) {
      const row = byKey.get(`${source.kind}\u0000${source.sourceId}`);
      if (row && row.contentHash === knowledgeHash(source) && row.embeddingModel === this.embeddingModel) {
        report.unchanged++;
        continue;
      }
      const written = await this.upsert(shop, source);
      if (!written) report.skipped++;
      else if (row) report.updated++;
      else report.added++;
    }
    return report;
  }

  /** Writes one source and its passages (replacing any earlier ones); false when the shop is full. */
  async upsert(shop: string, source: KnowledgeSourceInput): Promise<boolean> {
    const drafts = passagesOf(source).filter((draft) => draft.text);
    const vectors = drafts.length
      ? await this.embeddings.embedDocuments(drafts.map((draft) => passageSearchText(source.title, draft)))
      : [];
    const key = { shop_kind_sourceId: { shop, kind: source.kind, sourceId: source.sourceId } };
    return this.db.$transaction(async (tx) => {
      const previous = await tx.knowledgeSource.findUnique({ where: key, select: { id: true } });
      const held = await tx.knowledgePassage.count({
        where: { shop, ...(previous ? { sourceKey: { not: previous.id } } : {}) },
      });
      if (held + drafts.length > MAX_PASSAGES_PER_SHOP) return false;
      const fields = {
        title: source.title,
        url: source.url,
        contentHash: knowledgeHash(source),
        embeddingModel: this.embeddingModel,
      };
      const saved = await tx.knowledgeSource.upsert({
        where: key,
        create: { shop, kind: source.kind, sourceId: source.sourceId, ...fields },
        update: fields,
        select: { id: true },
      });
      await tx.knowledgePassage.deleteMany({ where: { sourceKey: saved.id } });
      await tx.knowledgePassage.createMany({
        data: drafts.map((draft, position) => ({
          shop,
          sourceKey: saved.id,
          position,
          heading: draft.heading,
          text: draft.text,
          embedding: JSON.stringify(vectors[position]),
        })),
      });
      return true;
    });
  }

  /**
   * Indexes the merchant Q&A entries whose passages are missing, stale or from another model, and
   * drops passages of entries that no longer exist. Each is checked against the entry table at the
   * moment it changes, so an entry saved or deleted meanwhile from the dashboard is not undone.
   */
  async reindexQuestions(shop: string): Promise<{ indexed: number; removed: number }> {
    const entries = await this.db.knowledgeQuestion.findMany({ where: { shop }, orderBy: { createdAt: "asc" } });
    const indexedRows = await this.db.knowledgeSource.findMany({
      where: { shop, kind: "qa" },
      select: { sourceId: true, contentHash: true, embeddingModel: true },
    });
    const byId = new Map(indexedRows.map((row) => [row.sourceId, row]));
    const stillThere = async (id: string) => (await this.db.knowledgeQuestion.count({ where: { id, shop } })) > 0;
    let indexed = 0;
    let removed = 0;
    for (const entry of entries) {
      const source: KnowledgeSourceInput = {
        kind: "qa",
        sourceId: entry.id,
        title: entry.question,
        url: null,
        body: entry.answer,
      };
      const row = byId.get(entry.id);
      if (row && row.contentHash === knowledgeHash(source) && row.embeddingModel === this.embeddingModel) continue;
      if (!(await this.upsert(shop, source))) continue;
      indexed++;
      if (!(await stillThere(entry.id))) await this.remove(shop, "qa", entry.id);
    }
    const listed = new Set(entries.map((entry) => entry.id));
    for (const row of indexedRows) {
      if (listed.has(row.sourceId) || (await stillThere(row.sourceId))) continue;
      await this.remove(shop, "qa", row.sourceId);
      removed++;
    }
    return { indexed, removed };
  }

  async remove(shop: string, kind: KnowledgeKind, sourceId: string): Promise<void> {
    await this.db.knowledgeSource.deleteMany({ where: { shop, kind, sourceId } });
  }

  async dropShop(shop: string): Promise<void> {
    await this.db.$transaction([
      this.db.knowledgePassage.deleteMany({ where: { shop } }),
      this.db.knowledgeSource.deleteMany({ where: { shop } }),
      this.db.knowledgeQuestion.deleteMany({ where: { shop } }),
    ]);
  }

  /** The shop's sources (newest first) with how many passages each has: the dashboard's list. */
  async sources(shop: string) {
    const rows = await this.db.knowledgeSource.findMany({
      where: { shop },
      orderBy: [{ kind: "asc" }, { title: "asc" }],
      select: {
        kind: true,
        sourceId: true,
        title: true,
        url: true,
        updatedAt: true,
        _count: { select: { passages: true } },
      },
    });
    return rows.map(({ _count, ...row }) => ({ ...row, kind: row.kind as KnowledgeKind, passages: _count.passages }));
  }

  /**
   * The passages best matching `question`, best first, with what each lacks of it: the answer
   * engine decides which really answer it (chat/knowledge-answer.ts).
   */
  async search(shop: string, question: string, limit = 8): Promise<KnowledgeHit[]> {
    const rows = await this.db.knowledgePassage.findMany({
      where: { shop },
      select: {
        id: true,
        heading: true,
        text: true,
        embedding: true,
        source: { select: { kind: true, title: true, url: true } },
      },
      take: MAX_PASSAGES_PER_SHOP,
    });
    if (!rows.length) return [];
    const passages: KnowledgePassageRow[] = rows.map((row) => ({
      id: row.id,
      kind: row.source.kind as KnowledgeKind,
      sourceTitle: row.source.title,
      url: row.source.url,
      heading: row.heading,
      text: row.text,
      vector: JSON.parse(row.embedding) as number[],
    }));
    const vector = await this.embeddings.embedQuery(question);
    return rankPassages(question, vector, passages, { limit });
  }
}
