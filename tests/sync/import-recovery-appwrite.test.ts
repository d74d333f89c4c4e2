// I2 on SQLite with the Appwrite customer store.
import { checksOn } from "../helpers/store-configurations";
import { importRecoveryChecks } from "./import-recovery";

checksOn("Appwrite", "I2 imports that recover", importRecoveryChecks);
