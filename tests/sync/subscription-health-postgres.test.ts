// O2 on Postgres with the Prisma customer store.
import { checksOn } from "../helpers/store-configurations";
import { subscriptionHealthChecks } from "./subscription-health";

checksOn("Postgres", "O2 subscription health", subscriptionHealthChecks, "aisle_subscriptions");
