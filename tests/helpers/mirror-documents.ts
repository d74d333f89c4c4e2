// Every product mirror document of a shop, read straight from Appwrite (not through the app's hop): what
// another app reading the merchant's Appwrite sees (decision 120).
import { Query, type Databases, type Models } from "node-appwrite";

export async function mirrorDocuments(
  databases: Databases,
  databaseId: string,
  shop: string,
): Promise<Models.DefaultDocument[]> {
  const all: Models.DefaultDocument[] = [];
  for (let cursor: string | null = null; ;) {
    const page: Models.DocumentList<Models.DefaultDocument> = await databases.listDocuments<Models.DefaultDocument>({
      databaseId,
      collectionId: "products",
      queries: [Query.equal("shop", shop), Query.limit(100), ...(cursor ? [Query.cursorAfter(cursor)] : [])],
    });
    all.push(...page.documents);
    if (page.documents.length < 100) return all;
    cursor = page.documents[page.documents.length - 1].$id;
  }
}
