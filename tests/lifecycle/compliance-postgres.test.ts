// C1–C5 on Postgres with the Prisma customer store. Needs TEST_POSTGRES_URL (tools/ensure-postgres.sh).
import { checksOn } from "../helpers/store-configurations";
import { complianceChecks } from "./compliance-checks";

checksOn("Postgres", "C1–C5 compliance checks", (c) => complianceChecks(c.label, c.open), "aisle_compliance");
