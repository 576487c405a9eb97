import type { Metadata } from 'next';
import { AuditView } from '~/components/access/audit-view';
import { AppShell } from '~/components/shell/app-header';
import { requirePage } from '~/server/http/page-guard';

export const metadata: Metadata = { title: 'Audit' };

/** Admins only: a viewer is sent back to the providers page (and the API refuses them anyway). */
export default async function AuditPage() {
  const viewer = await requirePage('/audit', 'admin');
  return (
    <AppShell current="audit" viewer={viewer}>
      <AuditView />
    </AppShell>
  );
}
