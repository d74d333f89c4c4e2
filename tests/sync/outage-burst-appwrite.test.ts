// W5 and W6 on SQLite with the Appwrite customer store, whose server is down during the burst.
import { checksOn } from "../helpers/store-configurations";
import { outageSuite } from "./outage-burst";

checksOn("Appwrite", "W5 and W6", outageSuite);
