// I4 on Postgres, each "process" with its own database client.
import { checksOn } from "../helpers/store-configurations";
import { tokenRefreshSuite } from "./token-refresh";

checksOn("Postgres", "I4 expiring tokens", (c) => tokenRefreshSuite(c, { products: 300 }), "aisle_tokens");
