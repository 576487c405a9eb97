/**
 * The identity provider's configuration, read once from its discovery document and kept. When the
 * provider does not answer, the sign-in fails in words (UNAVAILABLE) and the next one reads it again:
 * an outage never leaves a broken configuration cached, and costs only single sign-on (the password
 * form, if enabled, and Bearer tokens keep working).
 *
 * ID token signatures are checked against the provider's published keys (`enableNonRepudiationChecks`),
 * beyond what the spec asks of a token endpoint answer over TLS: a tampered token is refused even if
 * that channel is not what it seems. Plain http is allowed only for a loopback issuer (env.ts), for tests.
 */
import 'server-only';
import * as client from 'openid-client';
import { DomainError } from '~/server/lib/errors';
import type { OidcSettings } from './schema';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function createIdentityProvider(settings: OidcSettings) {
  let config: Promise<client.Configuration> | null = null;
  const issuer = new URL(settings.issuer);
  const insecure = issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname);
  const discover = () =>
    client.discovery(issuer, settings.clientId, { redirect_uris: [settings.redirectUri], response_types: ['code'] }, client.ClientSecretBasic(settings.clientSecret), {
      timeout: 10,
      // allowInsecureRequests is marked deprecated to discourage it; it is only ever applied to a loopback issuer.
      execute: [...(insecure ? [client.allowInsecureRequests] : []), client.enableNonRepudiationChecks],
    });
  return {
    issuer: settings.issuer,
    async config(): Promise<client.Configuration> {
      config ??= discover();
      try {
        return await config;
      } catch (err) {
        config = null; // read again at the next sign-in
        const why = err instanceof Error ? err.message : String(err);
        throw new DomainError('UNAVAILABLE', `The identity provider at ${settings.issuer} did not answer its discovery (${why.slice(0, 200)}); try again in a moment`);
      }
    },
  };
}

export type IdentityProvider = ReturnType<typeof createIdentityProvider>;
