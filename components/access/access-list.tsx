'use client';

import { useState, type FormEvent, type ReactNode } from 'react';
import { ErrorMessage } from '~/components/common/error-message';
import { ColumnHeads, EmptyRow } from '~/components/common/table-parts';
import type { Role } from '~/server/identity/schema';
import { RoleSelect } from './role-select';
import { Time } from '~/components/common/time';

/** The create form's one text field (a username, a token's name) and what its submit button says. */
export interface CreateField {
  /** The form's accessible name ("Create an account"). */
  form: string;
  /** Prefix of the field ids: `<id>-<name>`, `<id>-role`. */
  id: string;
  name: string;
  label: string;
  maxLength: number;
  autoComplete?: string;
  submit: string;
}

/** What the create form hands on: `providers` absent means every provider (the server checks the names). */
export type OnCreate = (name: string, grant: { role: Role; providers?: string[] }, created: () => void) => void;

/** "groq, xai" or "groq xai" → the names; empty → every provider (no scope). */
const scopeOf = (text: string) => {
  const names = text.split(/[\s,]+/).filter(Boolean);
  return names.length ? names : undefined;
};

/**
 * A name, a role and, below admin, an optional scope (the providers it may act on), then
 * `onCreate`; the name clears once the server has taken it. An admin is never scoped.
 */
function CreateForm({ field, pending, onCreate }: { field: CreateField; pending: boolean; onCreate: OnCreate }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [providers, setProviders] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onCreate(name, { role, ...(role === 'admin' ? {} : { providers: scopeOf(providers) }) }, () => setName(''));
  };
  const scopeId = `${field.id}-providers`;
  const inputId = `${field.id}-${field.name}`;
  return (
    <form className="card access-form" onSubmit={submit} aria-label={field.form}>
      <label className="field" htmlFor={inputId}>
        <span className="label">{field.label}</span>
        <input id={inputId} className="input" value={name} onChange={(e) => setName(e.target.value)} required maxLength={field.maxLength} autoComplete={field.autoComplete} />
      </label>
      <RoleSelect id={`${field.id}-role`} value={role} onChange={setRole} />
      {role === 'admin' ? null : (
        <label className="field" htmlFor={scopeId}>
          <span className="label">Providers (empty: all)</span>
          <input id={scopeId} className="input" value={providers} onChange={(e) => setProviders(e.target.value)} placeholder="groq, xai" maxLength={2000} />
        </label>
      )}
      <button type="submit" className="button button-primary" disabled={pending}>
        {field.submit}
      </button>
    </form>
  );
}

/** What every listed item has: accounts and tokens alike. */
export interface Listed {
  id: string;
  role: Role;
  /** Its scope (null: every provider). */
  providers: string[] | null;
  createdBy: string;
  createdAt: number;
}

interface Props<T extends Listed> {
  /** Names the heading (`<id>-heading`). */
  id: string;
  title: string;
  note: ReactNode;
  create: { field: CreateField; pending: boolean; onCreate: OnCreate };
  /** Errors of the actions and the secret shown once, between the form and the table. */
  notices: ReactNode;
  list: { data?: readonly T[]; error: unknown; refetch(): unknown };
  /** "accounts", "tokens": in "Could not load …". */
  noun: string;
  /** The first column: the item's name, its row header. */
  name: { column: string; of(item: T): string };
  /** The columns after Role, Created by and Created, and their cells. */
  more: { columns: readonly string[]; cells(item: T): ReactNode };
  empty: ReactNode;
  /** Below the table: paging ("Show more"), counts. */
  footer?: ReactNode;
}

/** An access-management page (accounts, tokens): a create form, notices, and the list as a table. */
export function AccessList<T extends Listed>({ id, title, note, create, notices, list, noun, name, more, empty, footer }: Props<T>) {
  const columns = [name.column, 'Role', 'Created by', 'Created', ...more.columns];
  return (
    <section aria-labelledby={`${id}-heading`} className="access-page">
      <div className="page-head">
        <h1 id={`${id}-heading`}>{title}</h1>
        <p className="muted">{note}</p>
      </div>
      <CreateForm {...create} />
      {notices}
      {list.error ? <ErrorMessage error={list.error} title={`Could not load ${noun}`} onRetry={() => void list.refetch()} /> : null}
      <div className="table-scroll">
        <table className="table table-cards">
          <caption className="sr-only">{title}</caption>
          <ColumnHeads names={columns} />
          <tbody>
            {(list.data ?? []).map((item) => (
              <tr key={item.id}>
                <th scope="row">{name.of(item)}</th>
                <td>
                  {item.role}
                  {item.providers ? <span className="muted"> · {item.providers.join(', ')}</span> : null}
                </td>
                <td>{item.createdBy}</td>
                <td>
                  <Time at={item.createdAt} />
                </td>
                {more.cells(item)}
              </tr>
            ))}
            {list.data?.length === 0 ? <EmptyRow columns={columns.length}>{empty}</EmptyRow> : null}
          </tbody>
        </table>
      </div>
      {footer}
    </section>
  );
}
