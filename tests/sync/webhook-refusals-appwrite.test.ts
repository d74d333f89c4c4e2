// W4 on SQLite with the Appwrite customer store.
import { checksOn } from "../helpers/store-configurations";
import { webhookRefusalChecks } from "./webhook-refusals";

checksOn("Appwrite", "W4 refused deliveries", webhookRefusalChecks);
