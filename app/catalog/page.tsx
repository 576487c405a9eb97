import type { Metadata } from 'next';
import { CatalogView } from '~/components/catalog/catalog-view';
import { AppShell } from '~/components/shell/app-header';
import { requireAdminPage } from '~/server/auth/page-guard';

export const metadata: Metadata = { title: 'Catalog' };

export default async function CatalogPage() {
  await requireAdminPage('/catalog');
  return (
    <AppShell current="catalog">
      <CatalogView />
    </AppShell>
  );
}
