// Shopify's calculated query cost, reverse-engineered from the captured `extensions.cost` of real
// responses (see query-cost.test.ts, which checks it against every captured query it can validate):
// scalars and enums 0; objects 1; edges and pageInfo 0; a connection 2 + pageMultiplier(first|last) ×
// (cost of one node); root `*Count` fields 10; a mutation field 10 plus the nested cost of its
// payload's fields, whose own objects are free.
import {
  getArgumentValues,
  getNamedType,
  isLeafType,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/** How many node costs a page of `n` is charged for (fits every captured cost: 1→1, 3→2, 5→3, 10→4, 50→7, 250→11). */
export const pageMultiplier = (n: number) => (n <= 0 ? 0 : Math.max(1, Math.floor(2 * Math.log(n))));

interface CostInput {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

export function requestedQueryCost(input: CostInput): number {
  const root =
    input.operation.operation === "mutation" ? input.schema.getMutationType()! : input.schema.getQueryType()!;
  return selectionCost(
    input,
    root,
    input.operation.selectionSet,
    input.operation.operation === "mutation" ? "mutationRoot" : "queryRoot",
  );
}

type Level = "queryRoot" | "mutationRoot" | "payload" | "nested";

function fieldsOf(type: GraphQLCompositeType): Record<string, GraphQLField<unknown, unknown>> {
  return "getFields" in type ? (type.getFields() as Record<string, GraphQLField<unknown, unknown>>) : {};
}

function selectionCost(
  input: CostInput,
  parent: GraphQLCompositeType,
  selectionSet: SelectionSetNode,
  level: Level,
): number {
  let total = 0;
  // Fragments on other concrete types are alternatives: only the dearest one is charged.
  let dearestBranch = 0;
  const branch = (typeName: string | undefined, cost: number) => {
    if (typeName && typeName !== parent.name) dearestBranch = Math.max(dearestBranch, cost);
    else total += cost;
  };
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const typeName = selection.typeCondition?.name.value;
      const type = typeName ? (input.schema.getType(typeName) as GraphQLCompositeType) : parent;
      branch(typeName, selectionCost(input, type ?? parent, selection.selectionSet, level));
      continue;
    }
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = input.fragments[selection.name.value];
      if (!fragment) continue;
      const typeName = fragment.typeCondition.name.value;
      const type = input.schema.getType(typeName) as GraphQLCompositeType;
      branch(typeName, selectionCost(input, type ?? parent, fragment.selectionSet, level));
      continue;
    }
    const field = fieldsOf(parent)[selection.name.value];
    if (!field || !selection.selectionSet) continue;
    const type = getNamedType(field.type);
    if (isLeafType(type)) continue;
    const composite = type as GraphQLCompositeType;
    if (level === "mutationRoot") {
      total += 10 + selectionCost(input, composite, selection.selectionSet, "payload");
      continue;
    }
    if (level === "queryRoot" && selection.name.value.endsWith("Count") && type.name === "Count") {
      total += 10;
      continue;
    }
    const child = composite;
    if (type.name.endsWith("Connection")) {
      let args: Record<string, unknown> = {};
      try {
        args = getArgumentValues(field, selection, input.variables);
      } catch {
        // invalid arguments are reported by execution; cost them as a page of one
      }
      const size = (args.first as number | undefined) ?? (args.last as number | undefined) ?? 0;
      total += 2 + pageMultiplier(size) * selectionCost(input, child, selection.selectionSet, "nested");
    } else if (type.name.endsWith("Edge") || type.name === "PageInfo" || level === "payload") {
      total += selectionCost(input, child, selection.selectionSet, "nested");
    } else {
      total += 1 + selectionCost(input, child, selection.selectionSet, "nested");
    }
  }
  return total + dearestBranch;
}
