// W2 and W3 on SQLite with the Prisma customer store (the full size).
import { checksOn } from "../helpers/store-configurations";
import { webhookOrderingChecks } from "./webhook-ordering";

checksOn("SQLite", "W2 and W3", (c) => webhookOrderingChecks(c, { orders: 1000 }));
