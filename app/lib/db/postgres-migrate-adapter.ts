// Prisma Migrate through @prisma/adapter-pg 6.19, mended in two ways. Used by prisma.config.ts for
// migrations only.
// - It fails on Postgres catalog columns of type `name` ("Column type 'name' could not be
//   deserialized", prisma/orm#27403). `name` is a 63-byte string, so reporting it as `text` is exact.
// - Its executeScript splits a migration on every semicolon and runs the pieces one by one: a
//   semicolon in a comment or a function body broke the script, and a failure left the statements
//   before it applied. Sent whole, as one simple query, Postgres parses the script itself and runs
//   it as one implicit transaction, so a failing migration leaves nothing behind (docs/decisions/137).
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

class WholeScriptPrismaPg extends PrismaPg {
  override async connect() {
    const adapter = await super.connect();
    // A query without parameters goes out as one simple query, which may hold many statements;
    // through executeRaw a failure still reaches Prisma as the Postgres error it was.
    adapter.executeScript = async (script: string) => {
      await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
    };
    return adapter;
  }
}

export function createPostgresMigrateAdapter(connectionString: string) {
  return new WholeScriptPrismaPg({ connectionString, Client: NameAsTextClient } as pg.PoolConfig);
}
