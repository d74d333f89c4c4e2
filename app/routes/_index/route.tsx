import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import styles from "./styles.module.css";

export const meta: MetaFunction = () => [{ title: "Aisle — a shopping assistant that knows your catalog" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  // Shopify admin opens the app URL with ?shop=…: continue into the embedded app.
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return { showForm: Boolean(context.services.shopify.login) };
}

export default function Landing() {
  const { showForm } = useLoaderData<typeof loader>();
  return (
    <main className={styles.page}>
      <div className={styles.content}>
        <h1 className={styles.heading}>Aisle</h1>
        <p className={styles.lede}>
          A shopping assistant that knows your whole catalog: shoppers ask in their own words and get grounded answers
          with products they can add to the cart.
        </p>
        {showForm && (
          <Form className={styles.form} method="post" action="/auth/login">
            <label className={styles.label}>
              <span>Shop domain</span>
              <input className={styles.input} type="text" name="shop" placeholder="my-shop.myshopify.com" />
            </label>
            <button className={styles.button} type="submit">
              Log in
            </button>
          </Form>
        )}
        <ul className={styles.list}>
          <li>
            <strong>Always fresh</strong>. Products sync through webhooks within seconds, with a periodic full
            reconciliation as a safety net.
          </li>
          <li>
            <strong>Precise</strong>. Hybrid search matches exact SKUs, brands and sizes as well as meaning, and
            understands prices and stock.
          </li>
          <li>
            <strong>Grounded</strong>. Answers cite your real products, prices and availability, and never invent them.
          </li>
        </ul>
      </div>
    </main>
  );
}
