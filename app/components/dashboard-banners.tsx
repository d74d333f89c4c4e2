import { Banner, BlockStack } from "@shopify/polaris";
import { useNavigate } from "@remix-run/react";
import type { DashboardBanner } from "../lib/dashboard/banners";

export function DashboardBanners({ banners }: { banners: DashboardBanner[] }) {
  const navigate = useNavigate();
  if (!banners.length) return null;
  return (
    <BlockStack gap="300">
      {banners.map((banner) => (
        <Banner
          key={banner.id}
          title={banner.title}
          tone={banner.tone}
          action={
            banner.action ? { content: banner.action.label, onAction: () => navigate(banner.action!.url) } : undefined
          }
        >
          <p>{banner.body}</p>
        </Banner>
      ))}
    </BlockStack>
  );
}
