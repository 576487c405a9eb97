import { plural } from '~/components/common/format';
import { ConfirmationLine } from '~/components/instances/confirmation-line';
import { completedWords } from './outcome-words';
import { RefreshDiff } from './refresh-diff';
import type { InvalidationState } from './use-invalidation';

/** The progress bar and, below it in a reserved line, what happened so far or how it ended. */
/** `mode`: the request's, so a soft job that marked nothing still reads as soft. */
export function JobProgress({ state, label, mode }: { state: InvalidationState; label: string; mode?: 'delete' | 'soft' }) {
  const { status } = state;
  // The badge says Completed from the same status: the bar is then full, whatever events are still replaying.
  const percent = status === 'completed' ? 100 : state.percent;
  return (
    <>
      <div
        role="progressbar"
        aria-valuenow={percent}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-label={label}
        aria-valuetext={`${percent}%`}
        className={`progress progress-${status}`}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <div className="job-outcome">
        <Outcome state={state} mode={mode} />
        {state.status === 'completed' || state.status === 'failed' ? <ConfirmationLine result={state.result} endedAt={state.endedAt} /> : null}
      </div>
      <RefreshDiff refresh={state.refresh} label={`Refresh diff of ${label.replace(/^Progress of /, '')}`} />
    </>
  );
}

function Outcome({ state, mode }: { state: InvalidationState; mode?: 'delete' | 'soft' }) {
  const { status, result, error, providersDone, providersTotal, keysDeleted, keysPlanned } = state;
  if (status === 'completed' && result) return <p className="outcome-ok">{completedWords(result, mode)}</p>;
  if (status === 'failed' || error) {
    return (
      <div role="alert" className="outcome-bad">
        <p>
          <strong>{status === 'failed' ? 'Invalidation failed: ' : 'Cannot follow this job: '}</strong>
          {error?.message ?? 'unknown error'}
        </p>
        {status === 'failed' && result ? (
          <p className="muted">
            Before failing it invalidated {plural(result.providersInvalidated, 'provider')} and deleted {plural(result.keysDeleted, 'key')}.
          </p>
        ) : null}
      </div>
    );
  }
  if (status === 'running' && state.refreshing) {
    return (
      <p className="muted">
        Refreshing: {providersDone} of {plural(providersTotal ?? 0, 'provider')} fetched from their sources
      </p>
    );
  }
  if (status === 'running') {
    const total = providersTotal ?? 0;
    return (
      <p className="muted">
        {mode === 'soft'
          ? `Running: ${providersDone} of ${plural(total, 'provider')} marked stale`
          : `Running: ${providersDone} of ${plural(total, 'provider')} done, ${plural(keysDeleted, 'key')} deleted${keysPlanned !== null ? ` of ${keysPlanned} planned` : ''}`}
      </p>
    );
  }
  if (status === 'queued') return <p className="muted">Queued: waiting for a free worker…</p>;
  return <p className="muted">Waiting for the first event…</p>;
}
