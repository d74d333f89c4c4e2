import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AppProvider as PolarisAppProvider, Button, Card, FormLayout, Page, Text, TextField } from "@shopify/polaris";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { useState } from "react";
import type { ShopifyApp } from "../../shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

type LoginErrors = Awaited<ReturnType<ShopifyApp["login"]>>;

function shopError(errors: LoginErrors | undefined): string | undefined {
  if (!errors || errors instanceof Response) return undefined;
  if (errors.shop === "MISSING_SHOP") return "Please enter your shop domain to log in";
  if (errors.shop === "INVALID_SHOP") return "Please enter a valid shop domain (your-store.myshopify.com)";
  return undefined;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  return { error: shopError(await context.services.shopify.login(request)) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  return { error: shopError(await context.services.shopify.login(request)) };
}

export default function Login() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [shop, setShop] = useState("");
  const error = actionData?.error ?? loaderData.error;

  return (
    <PolarisAppProvider i18n={polarisTranslations}>
      <Page narrowWidth>
        <Card>
          <Form method="post">
            <FormLayout>
              <Text variant="headingMd" as="h2">
                Log in to Aisle
              </Text>
              <TextField
                type="text"
                name="shop"
                label="Shop domain"
                helpText="example.myshopify.com"
                value={shop}
                onChange={setShop}
                autoComplete="on"
                error={error}
              />
              <Button submit>Log in</Button>
            </FormLayout>
          </Form>
        </Card>
      </Page>
    </PolarisAppProvider>
  );
}
