import type { Metadata } from 'next';
import { AccountsView } from '~/components/access/accounts-view';
import { AppShell } from '~/components/shell/app-header';
import { requirePage } from '~/server/http/page-guard';

export const metadata: Metadata = { title: 'Accounts' };

/** Admins only: a viewer is sent back to the providers page (and the API refuses them anyway). */
export default async function AccountsPage() {
  const viewer = await requirePage('/accounts', 'admin');
  return (
    <AppShell current="accounts" viewer={viewer}>
      <AccountsView />
    </AppShell>
  );
}
