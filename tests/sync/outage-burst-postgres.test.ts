// W5 and W6 on Postgres with the Prisma customer store.
import { checksOn } from "../helpers/store-configurations";
import { outageSuite } from "./outage-burst";

checksOn("Postgres", "W5 and W6", outageSuite, "aisle_outage");
