import { useEffect, useRef, useState } from 'react';
import { api, ApiError, type SyncState } from '../api.js';
import { syncProblem } from '../lib/messages.js';
import { formatRelative } from '../lib/time.js';

const POLL_MS = 1000;

function active(state: SyncState | undefined): boolean {
  return state?.status === 'queued' || state?.status === 'running';
}

/** "Sync now", the live progress of a sync, and when the last one finished. */
export function SyncPanel({ csrfToken, onSynced }: { csrfToken: string; onSynced: () => void }) {
  const [state, setState] = useState<SyncState>();
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
          timer = setTimeout(poll, active(next) ? POLL_MS : 30_000);
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
  const problem = state?.status === 'failed' && state.lastError ? syncProblem(state.lastError.code, state.lastError.message) : undefined;
  return (
    <section className="card sync" aria-labelledby="sync-title">
      <div className="sync-text">
        <h2 id="sync-title" className="visually-hidden">
          Sync with Strava
        </h2>
        <p role="status" aria-live="polite" data-testid="sync-status">
          {state === undefined && !error && 'Checking the last sync…'}
          {state?.status === 'queued' && 'Sync queued: starting in a moment…'}
          {state?.status === 'running' &&
            `Syncing with Strava… ${state.progress?.activities ?? 0} activities read${state.progress ? ` (${state.progress.pages} pages)` : ''}`}
          {state?.status === 'done' &&
            `Synced ${state.lastFinishedAt ? formatRelative(new Date(state.lastFinishedAt), now) : ''}${
              state.runsAdded ? ` · ${state.runsAdded} new ${state.runsAdded === 1 ? 'run' : 'runs'}` : ''
            }`}
          {state?.status === 'idle' && 'Not synced yet.'}
          {state?.status === 'failed' && (problem?.title ?? 'The last sync failed')}
        </p>
        {busy && <span className="progress" aria-hidden="true" />}
        {problem && <p className={problem.operator ? 'hint warning-text' : 'hint'}>{problem.text}</p>}
        {state?.status === 'failed' && state.lastFinishedAt && (
          <p className="hint">Last attempt {formatRelative(new Date(state.lastFinishedAt), now)}.</p>
        )}
        {error && (
          <p className="hint error-text" role="alert">
            {error.message}
          </p>
        )}
      </div>
      <button type="button" className="button primary" onClick={syncNow} disabled={busy} aria-disabled={busy}>
        {busy ? 'Syncing…' : 'Sync now'}
      </button>
    </section>
  );
}
