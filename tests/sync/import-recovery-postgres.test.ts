// I2 on Postgres with the Prisma customer store.
import { checksOn } from "../helpers/store-configurations";
import { importRecoveryChecks } from "./import-recovery";

checksOn("Postgres", "I2 imports that recover", importRecoveryChecks, "aisle_imports");
