import type { Metadata } from 'next';
import { TokensView } from '~/components/access/tokens-view';
import { guardedPage } from '~/app/_shell/guarded-page';

export const metadata: Metadata = { title: 'Tokens' };

/** Admins only: a viewer is sent back to the providers page (and the API refuses them anyway). */
export default async function TokensPage() {
  return guardedPage({ section: 'tokens', path: '/tokens', level: 'admin' }, () => <TokensView />);
}
