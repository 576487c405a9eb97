// @ts-nocheck
'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { plural } from '~/components/common/format';

export interface InvalidateAllChoice {
  cacheType: 'models' | 'all';
  cascade: boolean;
}

interface Props {
  open: boolean;
  providerCount: number;
  onConfirm(choice: InvalidateAllChoice): void;
  onClose(): void;
}

/** Names exactly what will be deleted, so nobody confirms a bigger blast radius than they meant. */
function describe({ cacheType, cascade }: InvalidateAllChoice, n: number): string {
  const perProvider = cacheType === 'all' ? 'models and pricing caches' : 'models cache';
  const parts = [`the ${perProvider} of all ${plural(n, 'provider')} (${plural(cacheType === 'all' ? n * 2 : n, 'key')})`];
  if (cascade) parts.push('the full catalog');
  if (cacheType === 'all') parts.push('the provider list', 'the global pricing table (rebuilt right after)');
  const keys = (cacheType === 'all' ? n * 2 + 2 : n) + (cascade ? 1 : 0);
  const last = parts.pop();
  const list = parts.length ? `${parts.join(', ')} and ${last}` : last;
  return `This deletes ${list}: up to ${plural(keys, 'key')}. Gateways rebuild them from the sources on their next read.`;
}

/** A modal <dialog> (focus trapped, Escape closes), defaults as the old endpoint: models, cascade on. */
export function InvalidateAllDialog({ open, providerCount, onConfirm, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [choice, setChoice] = useState<InvalidateAllChoice>({ cacheType: 'models', cascade: true });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onConfirm(choice);
  };

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="invalidate-all-title" aria-describedby="invalidate-all-summary" onClose={onClose}>
      <form onSubmit={submit}>
        <h2 id="invalidate-all-title" className="dialog-title">
          Invalidate all providers
        </h2>
        <fieldset className="field">
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
        <p id="invalidate-all-summary" className="dialog-summary">
          {describe(choice, providerCount)}
        </p>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-danger">
            Confirm invalidate all
          </button>
        </div>
      </form>
    </dialog>
  );
}
