'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Scope } from '~/components/jobs/job-store';
import type { AppEnvironment } from '~/server/lib/environment';
import { InvalidationPreview } from './invalidation-preview';
import { describeInvalidation, dialogTitle, type InvalidateChoice } from './invalidation-summary';
import { useInvalidationPreview } from './use-invalidation-preview';

export type { InvalidateChoice } from './invalidation-summary';

interface Props {
  /** What is being invalidated; null while the dialog is closed. */
  scope: Scope | null;
  providerCount: number;
  /** Provider slug → its display name, for the title. */
  displayName(slug: string): string;
  /** APP_ENVIRONMENT: named in the dialog; in production "Invalidate all" asks for the name typed. */
  environment: AppEnvironment | null;
  /** The choices to open with ("Run again"); absent: the last ones made here. */
  preset?: InvalidateChoice;
  onConfirm(scope: Scope, choice: InvalidateChoice): void;
  onClose(): void;
}

const DEFAULTS: InvalidateChoice = { mode: 'delete', cacheType: 'models', cascade: true, refresh: false };

/** A modal <dialog> (focus trapped, Escape closes) with the server's preview; defaults as the old endpoint. */
export function InvalidateDialog({ scope, providerCount, displayName, environment, preset, onConfirm, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [choice, setChoice] = useState<InvalidateChoice>(DEFAULTS);
  const [typed, setTyped] = useState('');
  const [openedFor, setOpenedFor] = useState<Scope | null>(null);
  const open = scope !== null;
  // A new opening takes the preset, if any (adjusted during render, not in an effect: no flash of the old choice).
  if (scope !== openedFor) {
    setOpenedFor(scope);
    if (scope && preset) setChoice(preset);
  }
  const soft = choice.mode === 'soft';
  const preview = useInvalidationPreview(scope ? { providers: scope, ...choice } : null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  // Typed again for every "Invalidate all": a name typed once must not confirm the next one.
  if (!open && typed) setTyped('');

  const shown = scope ?? 'all';
  // In production, everything at once is confirmed by typing where: the one moment a slip costs most.
  const askName = Boolean(environment?.production) && shown === 'all';
  const nameTyped = !askName || typed.trim() === environment?.name;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (scope && nameTyped) onConfirm(scope, choice);
  };

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="invalidate-title" aria-describedby="invalidate-summary" onClose={onClose}>
      <form onSubmit={submit}>
        <h2 id="invalidate-title" className="dialog-title">
          {dialogTitle(shown, displayName)}
        </h2>
        {environment ? (
          <p className={`dialog-env${environment.production ? ' dialog-env-production' : ''}`}>
            In <strong>{environment.name}</strong>
            {environment.production ? ': production, gateways serving real traffic read this cache' : null}
          </p>
        ) : null}
        {/* Choosing a mode presets Refresh (soft: on, so the stale copy is replaced now); the box is sent as shown. */}
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
        <fieldset className="field" disabled={soft} aria-describedby={soft ? 'cache-type-why' : undefined}>
          <legend>Cache type</legend>
          {soft ? (
            <p id="cache-type-why" className="field-note">
              Not a choice in soft mode: it marks only the models cache stale; pricing and the provider list stay as they are.
            </p>
          ) : null}
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
        {soft ? (
          <p className="field-note" id="refresh-why">
            Soft ticks Refresh: the stale copy is replaced now instead of at the next read. Untick it to let the next reader rebuild it.
          </p>
        ) : null}
        {/* Soft never leaves a reader without a catalog: a calm box; deleting is the danger one. */}
        <p id="invalidate-summary" className={soft ? 'dialog-summary dialog-summary-calm' : 'dialog-summary'}>
          {describeInvalidation(choice, shown, providerCount, preview.preview)}
        </p>
        {open ? <InvalidationPreview {...preview} /> : null}
        {askName && environment ? (
          <div className="field confirm-name">
            <label htmlFor="confirm-name-input">
              Type <strong>{environment.name}</strong> to confirm
            </label>
            <input id="confirm-name-input" className="input" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} aria-describedby="confirm-name-hint" />
            <p id="confirm-name-hint" className="muted">
              {nameTyped ? 'The name matches.' : `Confirm stays disabled until the name is exactly ${environment.name}.`}
            </p>
          </div>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={soft ? 'button button-primary' : 'button button-danger'} disabled={!nameTyped}>
            {shown === 'all' ? 'Confirm invalidate all' : 'Confirm invalidate'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
