// W5 and W6 on SQLite (the default database).
import { outageSuite } from "./outage-burst";

outageSuite("SQLite", async () => ({ drop: async () => {} }));
