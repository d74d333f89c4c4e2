// I4 on SQLite (the two "processes" share one database client).
import { checksOn } from "../helpers/store-configurations";
import { tokenRefreshSuite } from "./token-refresh";

checksOn("SQLite", "I4 expiring tokens", (c) => tokenRefreshSuite(c, { products: 300 }));
