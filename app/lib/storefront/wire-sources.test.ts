import { describe, expect, it } from "vitest";
import type { SourceReference } from "../chat/knowledge-answer";
import { toWidgetSources } from "./wire";

const source = (ref: number, title: string, url: string | null, kind: SourceReference["kind"] = "policy") => ({
  ref,
  kind,
  title,
  url,
  quote: `passage ${ref}`,
});

describe("toWidgetSources", () => {
  it("lists each quoted page once, in order", () => {
    expect(
      toWidgetSources([
        source(1, "Refund policy", "/policies/refund-policy"),
        source(2, "Refund policy", "/policies/refund-policy"),
        source(3, "Size guide", "/pages/size-guide", "page"),
      ]),
    ).toEqual([
      { title: "Refund policy", kind: "policy", path: "/policies/refund-policy" },
      { title: "Size guide", kind: "page", path: "/pages/size-guide" },
    ]);
  });

  it("links only the storefront's own policy and page paths", () => {
    const paths = toWidgetSources([
      source(1, "A", "https://evil.example/policies/x"),
      source(2, "B", "/products/tent"),
      source(3, "C", "/pages/../admin"),
      source(4, "D", null, "qa"),
      source(5, "E", "/pages/about-us", "page"),
    ]).map((s) => s.path);
    expect(paths).toEqual([null, null, null, null, "/pages/about-us"]);
  });
});
