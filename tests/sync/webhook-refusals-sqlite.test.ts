// W4 on SQLite with the Prisma customer store.
import { checksOn } from "../helpers/store-configurations";
import { webhookRefusalChecks } from "./webhook-refusals";

checksOn("SQLite", "W4 refused deliveries", webhookRefusalChecks);
