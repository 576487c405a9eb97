import type { Metadata } from 'next';
import { CatalogView } from '~/components/catalog/catalog-view';
import { guardedPage } from '~/app/_shell/guarded-page';
import { allows } from '~/server/identity/level-schema';

export const metadata: Metadata = { title: 'Catalog' };

export default async function CatalogPage() {
  return guardedPage({ section: 'catalog', path: '/catalog' }, (viewer) => <CatalogView canRefresh={allows(viewer.role, 'operator')} canOverride={allows(viewer.role, 'admin')} scope={viewer.providers} />);
}
