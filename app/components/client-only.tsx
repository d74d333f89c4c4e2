import { useEffect, useState, type ReactNode } from "react";

/**
 * Renders `children` only in the browser, `fallback` on the server and during hydration.
 * Polaris Viz reads `navigator` while rendering, which Node 20 does not have (docs/decisions/090).
 */
export function ClientOnly({ children, fallback }: { children: () => ReactNode; fallback: ReactNode }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return <>{mounted ? children() : fallback}</>;
}
