// One customers/data_request export of the session's shop, as a JSON download.
import type { LoaderFunctionArgs } from "@remix-run/node";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { shopify, customers } = context.services;
  const { session } = await shopify.authenticate.admin(request);
  const record = await customers.getDataExport(session.shop, params.id ?? "");
  if (!record) return new Response("No such export in this shop", { status: 404 });
  return new Response(record.json, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="customer-${record.customerId}-data-export.json"`,
    },
  });
}
