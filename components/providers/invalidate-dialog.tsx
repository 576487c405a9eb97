'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { plural } from '~/components/common/format';
import type { Scope } from '~/components/jobs/job-store';
import { InvalidationPreview } from './invalidation-preview';
import { useInvalidationPreview } from './use-invalidation-preview';

export interface InvalidateChoice {
  mode: 'delete' | 'soft';
  cacheType: 'models' | 'all';
  cascade: boolean;
  refresh: boolean;
}

interface Props {
  /** What is being invalidated; null while the dialog is closed. */
  scope: Scope | null;
  providerCount: number;
  onConfirm(scope: Scope, choice: InvalidateChoice): void;
  onClose(): void;
}

const DEFAULTS: InvalidateChoice = { mode: 'delete', cacheType: 'models', cascade: true, refresh: false };

/** Names exactly what will be deleted, so nobody confirms a bigger blast radius than they meant. */
function describe({ mode, cacheType, cascade }: InvalidateChoice, scope: Scope, total: number): string {
  const n = scope === 'all' ? total : scope.length;
  const who = scope === 'all' ? `all ${plural(n, 'provider')}` : scope.length === 1 ? scope[0] : plural(n, 'provider');
  if (mode === 'soft') {
    return `This marks the models cache of ${who} stale${cascade ? ' and drops the full catalog' : ''}. Readers keep getting the current copy, flagged stale, until one rebuild replaces it; nothing is ever served empty.`;
  }
  const perProvider = cacheType === 'all' ? 'models and pricing caches' : 'models cache';
  const parts = [`the ${perProvider} of ${who} (${plural(cacheType === 'all' ? n * 2 : n, 'key')})`];
  if (cascade) parts.push('the full catalog');
  if (cacheType === 'all') parts.push('the provider list', 'the global pricing table (rebuilt right after)');
  const keys = (cacheType === 'all' ? n * 2 + 2 : n) + (cascade ? 1 : 0);
  const last = parts.pop();
  const list = parts.length ? `${parts.join(', ')} and ${last}` : last;
  return `This deletes ${list}: up to ${plural(keys, 'key')}. Gateways rebuild them from the sources on their next read.`;
}

export const dialogTitle = (scope: Scope) => (scope === 'all' ? 'Invalidate all providers' : scope.length === 1 ? `Invalidate ${scope[0]}` : `Invalidate ${plural(scope.length, 'provider')}`);

/** A modal <dialog> (focus trapped, Escape closes) with the server's preview; defaults as the old endpoint. */
export function InvalidateDialog({ scope, providerCount, onConfirm, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [choice, setChoice] = useState<InvalidateChoice>(DEFAULTS);
  const open = scope !== null;
  const preview = useInvalidationPreview(scope ? { providers: scope, ...choice } : null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (scope) onConfirm(scope, choice);
  };
  const shown = scope ?? 'all';

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="invalidate-title" aria-describedby="invalidate-summary" onClose={onClose}>
      <form onSubmit={submit}>
        <h2 id="invalidate-title" className="dialog-title">
          {dialogTitle(shown)}
        </h2>
        <fieldset className="field">
          <legend>Mode</legend>
          <label className="choice">
            <input type="radio" name="mode" value="delete" checked={choice.mode === 'delete'} onChange={() => setChoice({ ...choice, mode: 'delete', refresh: false })} />
            Delete: readers rebuild from the source on their next read
          </label>
          <label className="choice">
            <input type="radio" name="mode" value="soft" checked={choice.mode === 'soft'} onChange={() => setChoice({ ...choice, mode: 'soft', cacheType: 'models', refresh: true })} />
            Soft: serve the current copy, flagged stale, until it is rebuilt
          </label>
        </fieldset>
        <fieldset className="field" disabled={choice.mode === 'soft'}>
          <legend>Cache type</legend>
          <label className="choice">
            <input type="radio" name="cacheType" value="models" checked={choice.cacheType === 'models'} onChange={() => setChoice({ ...choice, cacheType: 'models' })} />
            Models only
          </label>
          <label className="choice">
            <input type="radio" name="cacheType" value="all" checked={choice.cacheType === 'all'} onChange={() => setChoice({ ...choice, cacheType: 'all' })} />
            Everything (models, pricing, provider list)
          </label>
        </fieldset>
        <label className="choice field">
          <input type="checkbox" checked={choice.cascade} onChange={(e) => setChoice({ ...choice, cascade: e.target.checked })} />
          Cascade: also drop the full catalog
        </label>
        <label className="choice field">
          <input type="checkbox" checked={choice.refresh} onChange={(e) => setChoice({ ...choice, refresh: e.target.checked })} />
          Refresh: fetch each catalog from its source right after, and show what changed
        </label>
        <p id="invalidate-summary" className="dialog-summary">
          {describe(choice, shown, providerCount)}
        </p>
        {open ? <InvalidationPreview {...preview} /> : null}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-danger">
            {shown === 'all' ? 'Confirm invalidate all' : 'Confirm invalidate'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
