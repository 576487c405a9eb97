'use client';

import { useState, type FormEvent } from 'react';
import type { ScheduleInput } from '~/server/schedule/schema';

type Unit = 'seconds' | 'minutes' | 'hours';
const SECONDS: Record<Unit, number> = { seconds: 1, minutes: 60, hours: 3600 };

interface Props {
  pending: boolean;
  error: string | null;
  onSave(input: Omit<ScheduleInput, 'enabled'> & { enabled?: boolean }): void;
}

/** A new schedule: which providers, and an interval or a cron expression (UTC). The server validates both. */
export function ScheduleForm({ pending, error, onSave }: Props) {
  const [scope, setScope] = useState<'all' | 'some'>('all');
  const [names, setNames] = useState('');
  const [kind, setKind] = useState<'interval' | 'cron'>('interval');
  const [every, setEvery] = useState('15');
  const [unit, setUnit] = useState<Unit>('minutes');
  const [expression, setExpression] = useState('0 * * * *');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const providers = scope === 'all' ? ('all' as const) : names.split(/[\s,]+/).filter(Boolean);
    const timing = kind === 'interval' ? { kind, everySeconds: Math.round(Number(every) * SECONDS[unit]) } : { kind, expression };
    onSave({ providers, timing });
  };

  return (
    <form className="card schedule-form" aria-labelledby="new-schedule" onSubmit={submit}>
      <h2 id="new-schedule" className="section-title">
        New scheduled refresh
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
        {scope === 'some' ? (
          <input className="input" aria-label="Provider names, separated by commas" placeholder="groq, openai" value={names} onChange={(e) => setNames(e.target.value)} />
        ) : null}
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
      {error ? (
        <p role="alert" className="outcome-bad">
          {error}
        </p>
      ) : null}
      <div>
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? 'Saving…' : 'Save schedule'}
        </button>
      </div>
    </form>
  );
}
