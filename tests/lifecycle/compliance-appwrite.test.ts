// C1–C5 with the Appwrite customer store (the local Appwrite-compatible server) beside the app's SQLite:
// residue is looked for in both.
import { checksOn } from "../helpers/store-configurations";
import { complianceChecks } from "./compliance-checks";

checksOn("Appwrite", "C1–C5 compliance checks", (c) => complianceChecks(c.label, c.open));
