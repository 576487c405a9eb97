'use client';

import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '~/components/common/error-message';
import { describeError } from '~/components/common/trpc-error';
import type { GuardPolicy, RuleName } from '~/server/guard/schema';
import { PolicyRules } from './policy-rules';
import { fromDraft, toDraft, type Draft, type DraftRule } from './policy-words';
import { usePolicy } from './use-policy';

/**
 * The catalog guard's policy (docs/catalog-guard.md): the global defaults and each provider's own
 * rules. Admins edit a copy and save it whole (one `policy.save`, audited); everyone else reads it.
 */
export function PolicyView({ canEdit }: { canEdit: boolean }) {
  const { query, providerNames, save } = usePolicy(canEdit);
  return (
    <section aria-labelledby="policy-heading">
      <div className="page-head">
        <h1 id="policy-heading">Policy</h1>
        <p className="muted">
          What the catalog guard checks before a refreshed catalog is published. A rule that holds keeps readers on the last published catalog until an admin approves;
          one that alerts publishes and reports.
        </p>
        {canEdit ? null : (
          <p>
            <span className="badge badge-neutral">Read-only</span> <span className="muted">Only admins change the policy.</span>
          </p>
        )}
      </div>
      {query.error ? (
        <ErrorMessage error={query.error} title="Could not load the policy" onRetry={() => void query.refetch()} />
      ) : query.isPending ? (
        <p role="status" className="loading">
          Loading the policy…
        </p>
      ) : (
        // Remounted when the stored policy changes (a save): the form starts from what is stored.
        <PolicyForm key={query.dataUpdatedAt} policy={query.data} canEdit={canEdit} providerNames={providerNames} save={save} />
      )}
    </section>
  );
}

interface FormProps {
  policy: GuardPolicy;
  canEdit: boolean;
  providerNames: string[];
  save: ReturnType<typeof usePolicy>['save'];
}

function PolicyForm({ policy, canEdit, providerNames, save }: FormProps) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(policy));
  const [invalid, setInvalid] = useState<string | null>(null);
  const [adding, setAdding] = useState('');
  const overridden = Object.keys(draft.providers).sort();
  const addable = providerNames.filter((p) => !(p in draft.providers));

  const edit = (next: Draft) => (setDraft(next), setInvalid(null), save.reset());
  const setDefault = (name: RuleName, rule: DraftRule | undefined) => rule && edit({ ...draft, defaults: { ...draft.defaults, [name]: rule } });
  const setOverride = (provider: string) => (name: RuleName, rule: DraftRule | undefined) => {
    const { [name]: _dropped, ...rest } = draft.providers[provider] ?? {};
    edit({ ...draft, providers: { ...draft.providers, [provider]: rule ? { ...rest, [name]: rule } : rest } });
  };
  const removeProvider = (provider: string) => {
    const { [provider]: _dropped, ...rest } = draft.providers;
    edit({ ...draft, providers: rest });
  };
  const addProvider = () => {
    const provider = adding || addable[0];
    if (provider) edit({ ...draft, providers: { ...draft.providers, [provider]: {} } });
    setAdding('');
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = fromDraft(draft);
    if ('error' in parsed) setInvalid(parsed.error);
    else save.mutate(parsed.policy);
  };

  const error = invalid ?? (save.error ? describeError(save.error) : null);
  return (
    <form className="policy" aria-label="Catalog guard policy" onSubmit={submit}>
      <section className="card" aria-labelledby="policy-defaults">
        <h2 id="policy-defaults" className="section-title">
          Global defaults
        </h2>
        <PolicyRules title="Global defaults" rules={draft.defaults} onChange={canEdit ? setDefault : undefined} />
      </section>
      <section className="card" aria-labelledby="policy-providers">
        <h2 id="policy-providers" className="section-title">
          Per-provider overrides
        </h2>
        {overridden.length === 0 ? <p className="empty">No provider has rules of its own: every provider follows the global defaults.</p> : null}
        {overridden.map((provider) => (
          <div key={provider} role="group" aria-label={`Overrides for ${provider}`} className="policy-provider">
            <h3 className="card-head">
              {provider}
              {canEdit ? (
                <button type="button" className="button button-small" aria-label={`Remove overrides for ${provider}`} onClick={() => removeProvider(provider)}>
                  Remove
                </button>
              ) : null}
            </h3>
            <PolicyRules
              title={`Overrides for ${provider}`}
              rules={draft.providers[provider] ?? {}}
              inherited={draft.defaults}
              onChange={canEdit ? setOverride(provider) : undefined}
            />
          </div>
        ))}
        {canEdit ? (
          <p className="field-inline">
            <select className="input" aria-label="Provider to override" value={adding || addable[0] || ''} onChange={(e) => setAdding(e.target.value)} disabled={addable.length === 0}>
              {addable.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
            <button type="button" className="button" onClick={addProvider} disabled={addable.length === 0}>
              Add provider
            </button>
          </p>
        ) : null}
      </section>
      {error ? (
        <p role="alert" className="notice notice-error">
          Not saved: {error}
        </p>
      ) : null}
      {canEdit ? (
        <p>
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save'}
          </button>
        </p>
      ) : null}
    </form>
  );
}
