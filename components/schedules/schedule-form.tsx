'use client';

import { useDeferredValue, useState, type FormEvent } from 'react';
import type { ScheduleInput, Timing } from '~/server/schedule/schema';
import { ProviderPicker } from './provider-picker';
import { TimingPreview } from './timing-preview';
import type { ScheduleRow } from './use-schedules';

type Unit = 'seconds' | 'minutes' | 'hours';
const SECONDS: Record<Unit, number> = { seconds: 1, minutes: 60, hours: 3600 };

interface Props {
  /** The schedule being edited; absent for a new one. Remount (key) to switch. */
  editing?: ScheduleRow;
  pending: boolean;
  error: string | null;
  onSave(input: Omit<ScheduleInput, 'enabled'> & { enabled?: boolean }): void;
  onCancel?(): void;
}

/** An interval in the largest unit that divides it: 900 s is 15 minutes. */
function splitInterval(seconds: number): [string, Unit] {
  if (seconds % 3600 === 0) return [String(seconds / 3600), 'hours'];
  if (seconds % 60 === 0) return [String(seconds / 60), 'minutes'];
  return [String(seconds), 'seconds'];
}

/** A new schedule: which providers, and an interval or a cron expression (UTC). The server validates both. */
export function ScheduleForm({ editing, pending, error, onSave, onCancel }: Props) {
  const timing = editing?.timing;
  const [initialEvery, initialUnit] = timing?.kind === 'interval' ? splitInterval(timing.everySeconds) : ['15', 'minutes' as Unit];
  const [scope, setScope] = useState<'all' | 'some'>(editing && editing.providers !== 'all' ? 'some' : 'all');
  const [names, setNames] = useState<Set<string>>(() => new Set(editing && editing.providers !== 'all' ? editing.providers : []));
  const [kind, setKind] = useState<'interval' | 'cron'>(timing?.kind ?? 'interval');
  const [every, setEvery] = useState(initialEvery);
  const [unit, setUnit] = useState<Unit>(initialUnit);
  const [expression, setExpression] = useState(timing?.kind === 'cron' ? timing.expression : '0 * * * *');

  const seconds = Math.round(Number(every) * SECONDS[unit]);
  const chosen: Timing | null = kind === 'interval' ? (seconds >= 1 ? { kind, everySeconds: seconds } : null) : expression.trim() ? { kind, expression } : null;
  // The preview follows the typing at React's pace (deferred), keyed by value so one timing is one request.
  const previewed = useDeferredValue(chosen ? JSON.stringify(chosen) : '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const providers = scope === 'all' ? ('all' as const) : [...names];
    const sent = kind === 'interval' ? { kind, everySeconds: seconds } : { kind, expression };
    onSave({ ...(editing ? { id: editing.id, enabled: editing.enabled } : {}), providers, timing: sent });
  };

  return (
    <form className="card schedule-form" aria-labelledby="schedule-form-title" onSubmit={submit}>
      <h2 id="schedule-form-title" className="section-title">
        {editing ? 'Edit scheduled refresh' : 'New scheduled refresh'}
      </h2>
      <fieldset className="field">
        <legend>Providers</legend>
        <label className="choice">
          <input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} />
          All providers
        </label>
        <label className="choice">
          <input type="radio" name="scope" checked={scope === 'some'} onChange={() => setScope('some')} />
          These providers
        </label>
        {scope === 'some' ? <ProviderPicker chosen={names} onChange={setNames} /> : null}
      </fieldset>
      <fieldset className="field">
        <legend>When</legend>
        <label className="choice">
          <input type="radio" name="kind" checked={kind === 'interval'} onChange={() => setKind('interval')} />
          Every
        </label>
        {kind === 'interval' ? (
          <span className="field-inline">
            <input className="input" type="number" min="1" aria-label="Interval" value={every} onChange={(e) => setEvery(e.target.value)} />
            <select className="input" aria-label="Interval unit" value={unit} onChange={(e) => setUnit(e.target.value as Unit)}>
              <option value="seconds">seconds</option>
              <option value="minutes">minutes</option>
              <option value="hours">hours</option>
            </select>
          </span>
        ) : null}
        <label className="choice">
          <input type="radio" name="kind" checked={kind === 'cron'} onChange={() => setKind('cron')} />
          Cron expression (UTC)
        </label>
        {kind === 'cron' ? <input className="input" aria-label="Cron expression" value={expression} onChange={(e) => setExpression(e.target.value)} /> : null}
      </fieldset>
      <TimingPreview timing={previewed ? (JSON.parse(previewed) as Timing) : null} />
      {error ? (
        <p role="alert" className="outcome-bad">
          {error}
        </p>
      ) : null}
      <div>
        <button type="submit" className="button button-primary" disabled={pending || (scope === 'some' && names.size === 0)}>
          {pending ? 'Saving…' : 'Save schedule'}
        </button>{' '}
        {onCancel ? (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
