// I4 on SQLite (the two "processes" share one database client).
import { tokenRefreshSuite } from "./token-refresh";

tokenRefreshSuite("SQLite", async () => ({ drop: async () => {} }));
