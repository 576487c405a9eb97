import type { Metadata } from 'next';
import { PolicyView } from '~/components/guard/policy-view';
import { guardedPage } from '~/app/_shell/guarded-page';
import { allows } from '~/server/identity/level-schema';

export const metadata: Metadata = { title: 'Policy' };

/** The catalog guard's rules: every role reads them, admins change them (policy.save checks again). */
export default async function PolicyPage() {
  return guardedPage({ section: 'policy', path: '/policy' }, (viewer) => <PolicyView canEdit={allows(viewer.role, 'admin')} />);
}
