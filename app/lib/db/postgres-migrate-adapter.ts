// Prisma Migrate through @prisma/adapter-pg 6.19 fails on Postgres catalog columns of type `name`
// ("Column type 'name' could not be deserialized", prisma/orm#27403). `name` is a 63-byte string,
// so reporting it as `text` is exact. Used by prisma.config.ts for migrations only.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

const NAME_OID = 19;
const TEXT_OID = 25;

type QueryCallback = (error: Error | null, result?: pg.QueryResult) => void;

function nameColumnsAsText(result: pg.QueryResult | pg.QueryResult[] | undefined) {
  for (const each of Array.isArray(result) ? result : result ? [result] : []) {
    for (const field of each.fields ?? []) if (field.dataTypeID === NAME_OID) field.dataTypeID = TEXT_OID;
  }
  return result;
}

class NameAsTextClient extends pg.Client {
  // pg's query() has promise and callback forms; both are wrapped.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const last = args[args.length - 1];
    if (typeof last === "function") {
      const callback = last as QueryCallback;
      args[args.length - 1] = (error: Error | null, result?: pg.QueryResult) =>
        callback(error, nameColumnsAsText(result) as pg.QueryResult | undefined);
      return super.query(...(args as Parameters<pg.Client["query"]>));
    }
    const pending: unknown = super.query(...(args as Parameters<pg.Client["query"]>));
    return pending instanceof Promise ? pending.then(nameColumnsAsText) : pending;
  }
}

export function createPostgresMigrateAdapter(connectionString: string) {
  return new PrismaPg({ connectionString, Client: NameAsTextClient } as pg.PoolConfig);
}
