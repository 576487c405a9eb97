/**
 * The old endpoint's own path, without `/api`: `POST /admin/invalidate-cache?cache_type=models|all
 * [&providers=a,b]` is the very handler of `/api/admin/invalidate-cache` (same auth, 202, Location,
 * body), so a script that called the system we replace only changes its host.
 */
export { POST } from '~/app/api/admin/invalidate-cache/route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
