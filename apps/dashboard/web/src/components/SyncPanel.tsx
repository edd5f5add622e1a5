import { useEffect, useRef, useState } from 'react';
import { api, ApiError, type SyncView } from '../api.js';
import { syncProblem } from '../lib/messages.js';
import { formatRelative } from '../lib/time.js';

const POLL_MS = 1000;
const IDLE_POLL_MS = 30_000;
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

function active(state: SyncView | undefined): boolean {
  return state?.status === 'queued' || state?.status === 'running';
}

function statusLine(state: SyncView, now: Date): string {
  switch (state.status) {
    case 'idle':
      return 'Not synced yet.';
    case 'queued':
      return state.waitingUntil
        ? `Waiting for Strava until ${clock.format(new Date(state.waitingUntil))}…`
        : 'Sync queued: starting in a moment…';
    case 'running': {
      const read = state.progress?.activities ?? 0;
      return `Syncing with Strava… ${read} ${read === 1 ? 'activity' : 'activities'} read`;
    }
    case 'done': {
      const when = state.lastFinishedAt ? ` ${formatRelative(new Date(state.lastFinishedAt), now)}` : '';
      const added = state.runsAdded ? ` · ${state.runsAdded} new ${state.runsAdded === 1 ? 'run' : 'runs'}` : '';
      return `Synced${when}${added}`;
    }
    case 'failed':
      return state.lastError
        ? syncProblem(state.lastError.code, state.lastError.message).title
        : 'The last sync failed';
  }
}

/** "Sync now", the live progress of a sync, when the last one finished, and what stops it. */
export function SyncPanel({ csrfToken, onSynced }: { csrfToken: string; onSynced: () => void }) {
  const [state, setState] = useState<SyncView>();
  const [error, setError] = useState<ApiError>();
  const [now, setNow] = useState(() => new Date());
  const wasActive = useRef(false);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => {
      api.sync().then(
        (next) => {
          if (!live) return;
          setState(next);
          setError(undefined);
          setNow(new Date());
          if (wasActive.current && !active(next)) onSynced();
          wasActive.current = active(next);
          timer = setTimeout(poll, active(next) ? POLL_MS : IDLE_POLL_MS);
        },
        (failure: ApiError) => {
          if (!live) return;
          setError(failure);
          timer = setTimeout(poll, 5000);
        },
      );
    };
    poll();
    const restart = () => {
      clearTimeout(timer);
      poll();
    };
    window.addEventListener('runnerly:sync-requested', restart);
    return () => {
      live = false;
      clearTimeout(timer);
      window.removeEventListener('runnerly:sync-requested', restart);
    };
  }, [onSynced]);

  const syncNow = () => {
    setError(undefined);
    api.syncNow(csrfToken).then(
      (next) => {
        setState(next);
        wasActive.current = true;
        window.dispatchEvent(new Event('runnerly:sync-requested'));
      },
      (failure: ApiError) => setError(failure),
    );
  };

  const busy = active(state);
  // A failed sync, or a problem a waiting sync is retrying through (operator problems included).
  const problem =
    state?.lastError && state.status !== 'done'
      ? syncProblem(state.lastError.code, state.lastError.message)
      : undefined;
  return (
    <section className="card sync" aria-labelledby="sync-title">
      <div className="sync-text">
        <h2 id="sync-title" className="visually-hidden">
          Sync with Strava
        </h2>
        <p role="status" aria-live="polite" data-testid="sync-status">
          {state ? statusLine(state, now) : !error && 'Checking the last sync…'}
        </p>
        {busy && <span className="progress" aria-hidden="true" />}
        {problem && (
          <div className={problem.operator ? 'notice warning' : 'notice error'} role="alert" data-testid="sync-problem">
            {state?.status !== 'failed' && <p className="notice-title">{problem.title}</p>}
            <p>{problem.text}</p>
          </div>
        )}
        {state?.status === 'failed' && state.lastFinishedAt && (
          <p className="hint">Last attempt {formatRelative(new Date(state.lastFinishedAt), now)}.</p>
        )}
        {error && (
          <p className="hint error-text" role="alert">
            {error.message}
          </p>
        )}
      </div>
      <button type="button" className="button primary" onClick={syncNow} disabled={busy}>
        {busy ? 'Syncing…' : 'Sync now'}
      </button>
    </section>
  );
}
