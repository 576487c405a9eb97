/**
 * ioredis (and pino, pino-pretty, prom-client) stay Node externals: bundling breaks their dynamic requires, and every Redis route
 * runs on the Node runtime (never Edge). Types are checked by `npm test` (tsc), not again by the build.
 * @type {import('next').NextConfig}
 */
const nextConfig = {
  serverExternalPackages: ['ioredis', 'pino', 'pino-pretty', 'prom-client'],
  poweredByHeader: false,
  reactStrictMode: true,
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          // The panel's buttons delete caches: no other site may frame it (clickjacking).
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
        ],
      },
      // Pages get a per-request nonce policy from proxy.ts; API answers (JSON, SSE) may load nothing at all.
      {
        source: '/api/:path*',
        headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }],
      },
      // The old endpoint's path (without /api) answers exactly as /api/admin/invalidate-cache does.
      {
        source: '/admin/invalidate-cache',
        headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }],
      },
    ];
  },
};

export default nextConfig;
