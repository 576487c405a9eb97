/** The little of oidc-provider 9 the tests use (it ships no types; @types/oidc-provider is not installed). */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  interface Context { path: string; status: number; body: unknown }
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown> & { findAccount(ctx: unknown, id: string): Promise<{ accountId: string; claims(): Promise<Record<string, unknown>> }> });
    on(event: 'grant.error', listener: (ctx: Context, err: { error_detail?: string; message: string }) => void): void;
    use(middleware: (ctx: Context, next: () => Promise<void>) => Promise<void>): void;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
