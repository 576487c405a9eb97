import type { Metadata } from 'next';
import { AccountsView } from '~/components/access/accounts-view';
import { guardedPage } from '~/app/_shell/guarded-page';

export const metadata: Metadata = { title: 'Accounts' };

/** Admins only: a viewer is sent back to the providers page (and the API refuses them anyway). */
export default async function AccountsPage() {
  return guardedPage({ section: 'accounts', path: '/accounts', level: 'admin' }, () => <AccountsView />);
}
