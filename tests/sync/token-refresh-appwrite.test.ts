// I4 on SQLite with the Appwrite customer store (an import of 100 products: the SQLite and Postgres files import 300).
import { checksOn } from "../helpers/store-configurations";
import { tokenRefreshSuite } from "./token-refresh";

checksOn("Appwrite", "I4 expiring tokens", (c) => tokenRefreshSuite(c, { products: 100 }));
