import type { Rule } from "eslint";

declare const layering: { rules: Record<"lib-stays-in-lib", Rule.RuleModule> };
export default layering;
