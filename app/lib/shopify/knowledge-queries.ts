// The Admin documents store knowledge is read with (decision 125): the shop's legal policies and its
// Online Store pages. Shopify sends no webhooks for either, so they are queried at install, on a
// schedule and on demand. Static #graphql strings: codegen types their answers.

/** Pages per request: a shop's pages are few; the connection is still walked to its end. */
export const KNOWLEDGE_PAGES_QUERY = `#graphql
  query AisleKnowledgePages($after: String) {
    pages(first: 50, after: $after) {
      nodes {
        id
        handle
        title
        body
        isPublished
        updatedAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const KNOWLEDGE_POLICIES_QUERY = `#graphql
  query AisleKnowledgePolicies {
    shop {
      shopPolicies {
        id
        type
        title
        body
        url
        updatedAt
      }
    }
  }
`;
