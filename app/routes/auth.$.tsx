import type { LoaderFunctionArgs } from "@remix-run/node";

// OAuth start/callback and the session-token bounce page are all handled by the library.
export async function loader({ request, context }: LoaderFunctionArgs) {
  await context.services.shopify.authenticate.admin(request);
  return null;
}
