import type { Metadata } from 'next';
import { AuditView } from '~/components/access/audit-view';
import { guardedPage } from '~/app/_shell/guarded-page';

export const metadata: Metadata = { title: 'Audit' };

/** Admins only: a viewer is sent back to the providers page (and the API refuses them anyway). */
export default async function AuditPage() {
  return guardedPage({ section: 'audit', path: '/audit', level: 'admin' }, () => <AuditView />);
}
