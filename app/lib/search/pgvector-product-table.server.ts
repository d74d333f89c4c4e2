// LangChain's PGVectorStore with a narrower read (docs/decisions/114).
//
// Its search selects every column, so each hit brings its whole vector back as text: the server
// formats every float and the client parses the string, 512 of them per product. Search only needs
// the product id and the distance; at 400 hits over PGlite's socket the vectors cost more than the
// graph walk. Everything else (schema, collection rows, writes, deletes, filters of other shapes,
// retrievers) stays LangChain's.
import { Document } from "@langchain/core/documents";
import { PGVectorStore } from "@langchain/community/vectorstores/pgvector";

/** The metadata key holding a row's product id. */
export const PRODUCT_ID = "productId";

/** `{ productId: { in: [...] } }`, the one filter Aisle's reads use; undefined for any other. */
function productIdsOf(filter: PGVectorStore["FilterType"] | undefined): string[] | undefined {
  if (!filter) return undefined;
  const keys = Object.keys(filter);
  const condition = filter[PRODUCT_ID] as { in?: unknown } | undefined;
  if (keys.length !== 1 || keys[0] !== PRODUCT_ID || !condition || typeof condition !== "object") return undefined;
  const ids = condition.in;
  return Array.isArray(ids) && Object.keys(condition).length === 1 ? ids.map(String) : undefined;
}

export class ProductVectorTable extends PGVectorStore {
  override async similaritySearchVectorWithScore(
    query: number[],
    k: number,
    filter?: this["FilterType"],
  ): Promise<[Document, number][]> {
    const ids = productIdsOf(filter);
    if ((filter && !ids) || this.scoreNormalization !== "distance") {
      return super.similaritySearchVectorWithScore(query, k, filter);
    }
    const values: unknown[] = [`[${query.join(",")}]`, k];
    const where: string[] = [];
    if (this.collectionTableName) {
      values.push(await this.getOrCreateCollection());
      where.push(`collection_id = $${values.length}`);
    }
    if (ids) {
      values.push(ids);
      // The same expression as the table's productId index, so the planner can use it.
      where.push(`(${this.metadataColumnName}->>'${PRODUCT_ID}') = ANY($${values.length}::text[])`);
    }
    const { rows } = await this.pool.query<{ id: string; metadata: Record<string, unknown>; distance: number }>(
      `SELECT "${this.idColumnName}" AS id, "${this.metadataColumnName}" AS metadata,
              "${this.vectorColumnName}" ${this.computedOperatorString} $1 AS distance
       FROM ${this.computedTableName}
       ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
       ORDER BY distance ASC
       LIMIT $2`,
      values,
    );
    return rows.map((row) => [new Document({ pageContent: "", metadata: row.metadata, id: row.id }), row.distance]);
  }
}
