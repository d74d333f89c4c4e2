/* eslint-disable eslint-comments/disable-enable-pair */
/* eslint-disable eslint-comments/no-unlimited-disable */
/* eslint-disable */
import type * as AdminTypes from './admin.types.js';

export type AisleFlowTriggerReceiveMutationVariables = AdminTypes.Exact<{
  handle: AdminTypes.Scalars['String']['input'];
  payload: AdminTypes.Scalars['JSON']['input'];
}>;


export type AisleFlowTriggerReceiveMutation = { flowTriggerReceive?: AdminTypes.Maybe<{ userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type AisleKnowledgePagesQueryVariables = AdminTypes.Exact<{
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type AisleKnowledgePagesQuery = { pages: { nodes: Array<Pick<AdminTypes.Page, 'id' | 'handle' | 'title' | 'body' | 'isPublished' | 'updatedAt'>>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } };

export type AisleKnowledgePoliciesQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type AisleKnowledgePoliciesQuery = { shop: { shopPolicies: Array<Pick<AdminTypes.ShopPolicy, 'id' | 'type' | 'title' | 'body' | 'url' | 'updatedAt'>> } };

export type AisleProductFieldsFragment = (
  Pick<AdminTypes.Product, 'id' | 'handle' | 'title' | 'descriptionHtml' | 'vendor' | 'productType' | 'tags' | 'status' | 'publishedAt' | 'onlineStoreUrl' | 'createdAt' | 'updatedAt'>
  & { options: Array<Pick<AdminTypes.ProductOption, 'name' | 'values'>>, featuredMedia?: AdminTypes.Maybe<{ image?: AdminTypes.Maybe<Pick<AdminTypes.Image, 'url' | 'altText'>> }> }
);

export type AisleVariantFieldsFragment = (
  Pick<AdminTypes.ProductVariant, 'id' | 'title' | 'sku' | 'barcode' | 'price' | 'compareAtPrice' | 'availableForSale' | 'inventoryQuantity'>
  & { selectedOptions: Array<Pick<AdminTypes.SelectedOption, 'name' | 'value'>> }
);

export type AisleBulkProductsMutationVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
}>;


export type AisleBulkProductsMutation = { bulkOperationRunQuery?: AdminTypes.Maybe<{ bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status'>>, userErrors: Array<Pick<AdminTypes.BulkOperationUserError, 'field' | 'message' | 'code'>> }> };

export type AisleBulkOperationQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type AisleBulkOperationQuery = { bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status' | 'errorCode' | 'objectCount' | 'rootObjectCount' | 'fileSize' | 'url' | 'partialDataUrl' | 'createdAt' | 'completedAt'>> };

export type AisleProductVersionsQueryVariables = AdminTypes.Exact<{
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type AisleProductVersionsQuery = { products: { nodes: Array<Pick<AdminTypes.Product, 'id' | 'updatedAt'>>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } };

export type AisleProductsByIdQueryVariables = AdminTypes.Exact<{
  ids: Array<AdminTypes.Scalars['ID']['input']> | AdminTypes.Scalars['ID']['input'];
  withMetafields: AdminTypes.Scalars['Boolean']['input'];
  metafieldKeys?: AdminTypes.InputMaybe<Array<AdminTypes.Scalars['String']['input']> | AdminTypes.Scalars['String']['input']>;
  metafieldCount: AdminTypes.Scalars['Int']['input'];
}>;


export type AisleProductsByIdQuery = { nodes: Array<AdminTypes.Maybe<(
    Pick<AdminTypes.Product, 'id' | 'handle' | 'title' | 'descriptionHtml' | 'vendor' | 'productType' | 'tags' | 'status' | 'publishedAt' | 'onlineStoreUrl' | 'createdAt' | 'updatedAt'>
    & { variants: { nodes: Array<(
        Pick<AdminTypes.ProductVariant, 'id' | 'title' | 'sku' | 'barcode' | 'price' | 'compareAtPrice' | 'availableForSale' | 'inventoryQuantity'>
        & { media: { nodes: Array<(
            Pick<AdminTypes.MediaImage, 'id'>
            & { image?: AdminTypes.Maybe<Pick<AdminTypes.Image, 'url'>> }
          )> }, selectedOptions: Array<Pick<AdminTypes.SelectedOption, 'name' | 'value'>> }
      )> }, collections: { nodes: Array<Pick<AdminTypes.Collection, 'id' | 'handle' | 'title'>> }, metafields?: { nodes: Array<Pick<AdminTypes.Metafield, 'namespace' | 'key' | 'type' | 'value'>> }, options: Array<Pick<AdminTypes.ProductOption, 'name' | 'values'>>, featuredMedia?: AdminTypes.Maybe<{ image?: AdminTypes.Maybe<Pick<AdminTypes.Image, 'url' | 'altText'>> }> }
  )>> };

export type AisleWebhookSubscriptionsQueryVariables = AdminTypes.Exact<{
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type AisleWebhookSubscriptionsQuery = { currentAppInstallation: { accessScopes: Array<Pick<AdminTypes.AccessScope, 'handle'>> }, webhookSubscriptions: { nodes: Array<Pick<AdminTypes.WebhookSubscription, 'id' | 'topic' | 'uri'>>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } };

export type AisleShopPrimaryDomainQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type AisleShopPrimaryDomainQuery = { shop: { primaryDomain: Pick<AdminTypes.Domain, 'url'> } };

interface GeneratedQueryTypes {
  "#graphql\n  query AisleKnowledgePages($after: String) {\n    pages(first: 50, after: $after) {\n      nodes {\n        id\n        handle\n        title\n        body\n        isPublished\n        updatedAt\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": {return: AisleKnowledgePagesQuery, variables: AisleKnowledgePagesQueryVariables},
  "#graphql\n  query AisleKnowledgePolicies {\n    shop {\n      shopPolicies {\n        id\n        type\n        title\n        body\n        url\n        updatedAt\n      }\n    }\n  }\n": {return: AisleKnowledgePoliciesQuery, variables: AisleKnowledgePoliciesQueryVariables},
  "#graphql\n  query AisleBulkOperation($id: ID!) {\n    bulkOperation(id: $id) {\n      id\n      status\n      errorCode\n      objectCount\n      rootObjectCount\n      fileSize\n      url\n      partialDataUrl\n      createdAt\n      completedAt\n    }\n  }\n": {return: AisleBulkOperationQuery, variables: AisleBulkOperationQueryVariables},
  "#graphql\n  query AisleProductVersions($after: String) {\n    products(first: 250, after: $after) {\n      nodes {\n        id\n        updatedAt\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": {return: AisleProductVersionsQuery, variables: AisleProductVersionsQueryVariables},
  "#graphql\n  query AisleProductsById(\n    $ids: [ID!]!\n    $withMetafields: Boolean!\n    $metafieldKeys: [String!]\n    $metafieldCount: Int!\n  ) {\n    nodes(ids: $ids) {\n      ... on Product {\n        ...AisleProductFields\n        variants(first: 250) {\n          nodes {\n            ...AisleVariantFields\n            media(first: 1) {\n              nodes {\n                ... on MediaImage {\n                  id\n                  image {\n                    url\n                  }\n                }\n              }\n            }\n          }\n        }\n        collections(first: 50) {\n          nodes {\n            id\n            handle\n            title\n          }\n        }\n        metafields(keys: $metafieldKeys, first: $metafieldCount) @include(if: $withMetafields) {\n          nodes {\n            namespace\n            key\n            type\n            value\n          }\n        }\n      }\n    }\n  }\n  #graphql\n  fragment AisleProductFields on Product {\n    id\n    handle\n    title\n    descriptionHtml\n    vendor\n    productType\n    tags\n    status\n    publishedAt\n    onlineStoreUrl\n    createdAt\n    updatedAt\n    options {\n      name\n      values\n    }\n    featuredMedia {\n      ... on MediaImage {\n        image {\n          url\n          altText\n        }\n      }\n    }\n  }\n\n  #graphql\n  fragment AisleVariantFields on ProductVariant {\n    id\n    title\n    sku\n    barcode\n    price\n    compareAtPrice\n    availableForSale\n    inventoryQuantity\n    selectedOptions {\n      name\n      value\n    }\n  }\n\n": {return: AisleProductsByIdQuery, variables: AisleProductsByIdQueryVariables},
  "#graphql\n  query AisleWebhookSubscriptions($after: String) {\n    currentAppInstallation {\n      accessScopes {\n        handle\n      }\n    }\n    webhookSubscriptions(first: 100, after: $after) {\n      nodes {\n        id\n        topic\n        uri\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": {return: AisleWebhookSubscriptionsQuery, variables: AisleWebhookSubscriptionsQueryVariables},
  "#graphql\n  query AisleShopPrimaryDomain {\n    shop {\n      primaryDomain {\n        url\n      }\n    }\n  }\n": {return: AisleShopPrimaryDomainQuery, variables: AisleShopPrimaryDomainQueryVariables},
}

interface GeneratedMutationTypes {
  "#graphql\n  mutation AisleFlowTriggerReceive($handle: String!, $payload: JSON!) {\n    flowTriggerReceive(handle: $handle, payload: $payload) {\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: AisleFlowTriggerReceiveMutation, variables: AisleFlowTriggerReceiveMutationVariables},
  "#graphql\n  mutation AisleBulkProducts($query: String!) {\n    bulkOperationRunQuery(query: $query, groupObjects: true) {\n      bulkOperation {\n        id\n        status\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: AisleBulkProductsMutation, variables: AisleBulkProductsMutationVariables},
}
declare module '@shopify/admin-api-client' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
