// W5 and W6 on SQLite with the Prisma customer store.
import { checksOn } from "../helpers/store-configurations";
import { outageSuite } from "./outage-burst";

checksOn("SQLite", "W5 and W6", outageSuite);
