// C1–C5 on SQLite with the Prisma customer store.
import { checksOn } from "../helpers/store-configurations";
import { complianceChecks } from "./compliance-checks";

checksOn("SQLite", "C1–C5 compliance checks", (c) => complianceChecks(c.label, c.open));
