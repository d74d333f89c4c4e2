// O2 on SQLite with the Prisma customer store.
import { checksOn } from "../helpers/store-configurations";
import { subscriptionHealthChecks } from "./subscription-health";

checksOn("SQLite", "O2 subscription health", subscriptionHealthChecks);
