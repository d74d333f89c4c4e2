// W4 on Postgres with the Prisma customer store.
import { checksOn } from "../helpers/store-configurations";
import { webhookRefusalChecks } from "./webhook-refusals";

checksOn("Postgres", "W4 refused deliveries", webhookRefusalChecks, "aisle_w4");
