import type { Metadata } from 'next';
import { TokensView } from '~/components/access/tokens-view';
import { AppShell } from '~/components/shell/app-header';
import { requirePage } from '~/server/http/page-guard';

export const metadata: Metadata = { title: 'Tokens' };

/** Admins only: a viewer is sent back to the providers page (and the API refuses them anyway). */
export default async function TokensPage() {
  const viewer = await requirePage('/tokens', 'admin');
  return (
    <AppShell current="tokens" viewer={viewer}>
      <TokensView />
    </AppShell>
  );
}
