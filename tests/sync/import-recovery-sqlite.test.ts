// I2 on SQLite with the Prisma customer store.
import { checksOn } from "../helpers/store-configurations";
import { importRecoveryChecks } from "./import-recovery";

checksOn("SQLite", "I2 imports that recover", importRecoveryChecks);
