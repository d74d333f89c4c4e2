// W2 and W3 on Postgres with the Prisma customer store (W3 at 100 products: the SQLite file runs the full 1,000).
import { checksOn } from "../helpers/store-configurations";
import { webhookOrderingChecks } from "./webhook-ordering";

checksOn("Postgres", "W2 and W3", (c) => webhookOrderingChecks(c, { orders: 100 }), "aisle_ordering");
