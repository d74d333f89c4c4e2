// O2 on SQLite with the Appwrite customer store.
import { checksOn } from "../helpers/store-configurations";
import { subscriptionHealthChecks } from "./subscription-health";

checksOn("Appwrite", "O2 subscription health", subscriptionHealthChecks);
