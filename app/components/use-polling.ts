import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";

/** Reloads the route's data every `intervalMs` while `active` (live import and task status). */
export function usePolling(active: boolean, intervalMs = 1500) {
  const { revalidate, state } = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (state === "idle") revalidate();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, revalidate, state]);
}
