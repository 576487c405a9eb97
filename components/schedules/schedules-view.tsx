'use client';

import Link from 'next/link';
import { useState } from 'react';
import { ErrorMessage } from '~/components/common/error-message';
import { formatExact } from '~/components/common/format';
import { describeError } from '~/components/common/trpc-error';
import { useNow } from '~/components/common/use-now';
import { describeTiming } from '~/server/schedule/schema';
import { ScheduleForm } from './schedule-form';
import { formatIn, savedWords } from './schedule-words';
import { useSchedules, type ScheduleRow } from './use-schedules';
import { Time } from '~/components/common/time';

const scopeOf = (s: ScheduleRow) => (s.providers === 'all' ? 'All providers' : s.providers.join(', '));

/** Scheduled refreshes: each run is a soft invalidation with refresh, in the history with the schedule as actor. */
export function SchedulesView() {
  const { query, schedules, save, remove } = useSchedules();
  const [editing, setEditing] = useState<ScheduleRow | null>(null);
  // Bumped after each save: the form starts empty again, and says what was saved.
  const [saves, setSaves] = useState(0);
  const [saved, setSaved] = useState<{ created: boolean; scope: string; timing: string; nextAt: number | null } | null>(null);
  const now = useNow(30_000);
  const toggle = (s: ScheduleRow) => save.mutate({ id: s.id, providers: s.providers, timing: s.timing, enabled: !s.enabled });
  const submit = (input: Parameters<typeof save.mutate>[0]) =>
    save.mutate(
      { enabled: true, ...input },
      {
        onSuccess: (schedule) => {
          setEditing(null);
          setSaves((n) => n + 1);
          setSaved({ created: !input.id, scope: scopeOf(schedule), timing: describeTiming(schedule.timing), nextAt: schedule.nextAt });
        },
      },
    );
  return (
    <section aria-labelledby="schedules-heading">
      <div className="page-head">
        <h1 id="schedules-heading">Schedules</h1>
        <p className="muted">Refresh catalogs from their sources on a timer. Exactly one instance fires each run; readers keep the old copy until the new one is verified.</p>
      </div>
      <ScheduleForm
        key={editing?.id ?? `new-${saves}`}
        editing={editing ?? undefined}
        pending={save.isPending}
        error={save.error ? describeError(save.error) : null}
        onSave={submit}
        onCancel={editing ? () => setEditing(null) : undefined}
      />
      <p role="status" className="schedule-saved">
        {saved && !editing ? savedWords(saved, now) : null}
      </p>
      {query.error && !query.data ? (
        <ErrorMessage error={query.error} title="Could not load the schedules" onRetry={() => void query.refetch()} />
      ) : query.isPending ? (
        <p role="status" className="loading">
          Loading schedules…
        </p>
      ) : schedules.length === 0 ? (
        <p className="empty">No scheduled refreshes yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="table table-cards" aria-label="Scheduled refreshes">
            <thead>
              <tr>
                <th scope="col">Providers</th>
                <th scope="col">When</th>
                <th scope="col">Next run</th>
                <th scope="col">Last run</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {schedules.map((s) => (
                <tr key={s.id} aria-label={`Schedule ${scopeOf(s)}, ${describeTiming(s.timing)}`}>
                  <th scope="row">{scopeOf(s)}</th>
                  <td>{describeTiming(s.timing)}</td>
                  <td>
                    {s.enabled && s.nextAt !== null ? (
                      <>
                        <time dateTime={new Date(s.nextAt).toISOString()} title={formatExact(s.nextAt)}>
                          {formatIn(s.nextAt, now)}
                        </time>
                        <Time at={s.nextAt} className="sub" />
                      </>
                    ) : (
                      <span className="badge badge-neutral">Paused</span>
                    )}
                  </td>
                  <td>
                    {s.lastRun?.jobId ? (
                      <Link href={`/history/${s.lastRun.jobId}`} aria-label={`Last run of ${scopeOf(s)}: job ${s.lastRun.jobId}`}>
                        <Time at={s.lastRun.firedAt} />
                      </Link>
                    ) : s.lastRun?.error ? (
                      <span className="outcome-bad">{s.lastRun.error}</span>
                    ) : (
                      <span className="muted">Not yet</span>
                    )}
                  </td>
                  <td className="col-action schedule-actions">
                    <button type="button" className="button button-small" aria-label={`Edit schedule ${scopeOf(s)}`} onClick={() => setEditing(s)}>
                      Edit
                    </button>{' '}
                    <button type="button" className="button button-small" onClick={() => toggle(s)}>
                      {s.enabled ? 'Pause' : 'Resume'}
                    </button>{' '}
                    <button type="button" className="button button-small" aria-label={`Delete schedule ${scopeOf(s)}`} onClick={() => remove.mutate({ id: s.id })}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
