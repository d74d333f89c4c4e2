// Run as a child process by local-embeddings-thread.test.ts: embeds once and returns from its top
// level without closing anything. The process must then end on its own (an idle model thread does
// not keep it alive).
import { LocalEmbeddings } from "../../app/lib/search/local-embeddings.server";

const [vector] = await new LocalEmbeddings().embedDocuments(["warm winter jacket"]);
console.log(`dimensions ${vector.length}`);
