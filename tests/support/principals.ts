import type { Principal } from '~/server/identity/schema';

/** Callers for createCaller: what authenticate() would make of a Bearer ADMIN_TOKEN, an admin account, an operator account and a viewer account. */
export const bootstrapAdmin: Principal = { kind: 'token', label: 'admin (API token)', role: 'admin', bootstrap: true, name: 'admin (bootstrap)', mustChangePassword: false };
export const adminAccount: Principal = { kind: 'session', label: 'ana (session)', role: 'admin', accountId: 'acc_00000000000000a1', username: 'ana', name: 'ana', mustChangePassword: false };
export const operatorAccount: Principal = { kind: 'session', label: 'oli (session)', role: 'operator', accountId: 'acc_00000000000000d4', username: 'oli', name: 'oli', mustChangePassword: false };
export const viewerAccount: Principal = { kind: 'session', label: 'vic (session)', role: 'viewer', accountId: 'acc_00000000000000b2', username: 'vic', name: 'vic', mustChangePassword: false };
export const pendingPassword: Principal = { ...adminAccount, accountId: 'acc_00000000000000c3', username: 'newbie', name: 'newbie', mustChangePassword: true };
