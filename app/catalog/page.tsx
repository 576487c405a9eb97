import type { Metadata } from 'next';
import { CatalogView } from '~/components/catalog/catalog-view';
import { AppShell } from '~/components/shell/app-header';
import { requirePage } from '~/server/http/page-guard';

export const metadata: Metadata = { title: 'Catalog' };

export default async function CatalogPage() {
  const viewer = await requirePage('/catalog');
  return (
    <AppShell current="catalog" viewer={viewer}>
      <CatalogView canRefresh={viewer.role === 'admin'} />
    </AppShell>
  );
}
