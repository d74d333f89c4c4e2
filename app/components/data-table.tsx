import { DataTable as PolarisDataTable, type DataTableProps } from "@shopify/polaris";
import { useEffect, useRef } from "react";

// Polaris's scroll container (no prop reaches it). Checked by the browser tests' axe scans on a phone.
const SCROLL_CONTAINER = ".Polaris-DataTable__ScrollContainer";

/**
 * Polaris's DataTable, reachable by keyboard when it scrolls sideways (a phone): the scrolling box becomes a
 * focusable, named region, so arrow keys scroll it even when no cell holds a link or button (WCAG 2.1.1).
 * While the table fits, it stays out of the Tab order.
 */
export function DataTable({ label, ...props }: DataTableProps & { label: string }) {
  const wrapper = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const container = wrapper.current?.querySelector<HTMLElement>(SCROLL_CONTAINER);
    if (!container) return;
    const update = () => {
      if (container.scrollWidth > container.clientWidth + 1) {
        container.tabIndex = 0;
        container.setAttribute("role", "region");
        container.setAttribute("aria-label", label);
      } else {
        container.removeAttribute("tabindex");
        container.removeAttribute("role");
        container.removeAttribute("aria-label");
      }
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(container);
    const table = container.querySelector("table");
    if (table) observer.observe(table);
    return () => observer.disconnect();
  }, [label]);
  return (
    <div ref={wrapper}>
      <PolarisDataTable {...props} />
    </div>
  );
}
