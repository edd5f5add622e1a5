import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ImportPhase, ImportStatus, type ImportView } from '@runnerly/jobs/import-contract';
import { ApiError } from '../api.js';

const POLL_MS = 1000;
/** The import being followed survives a reload of the page (this tab only). */
const STORAGE_KEY = 'runnerly.import';

function active(view: ImportView | undefined): boolean {
  return view?.status === ImportStatus.Queued || view?.status === ImportStatus.Running;
}

function statusLine(view: ImportView): string {
  switch (view.status) {
    case ImportStatus.Queued:
      return 'Archive received: the import starts in a moment…';
    case ImportStatus.Running:
      return view.phase === ImportPhase.Saving
        ? `Saving your runs… ${view.done} of ${view.total}`
        : `Checking your archive… ${view.done} of ${view.total || '?'} runs`;
    case ImportStatus.Done: {
      const failed = view.failed ? ` ${view.failed} had a file Runnerly could not read (imported without bests).` : '';
      return `Imported ${view.total} ${view.total === 1 ? 'run' : 'runs'}, ${view.added} new.${failed}`;
    }
    case ImportStatus.Failed:
      return 'The archive was not imported: nothing was changed.';
  }
}

async function readError(response: { status: number; body: unknown }): Promise<ApiError> {
  const { error, message } = (response.body ?? {}) as { error?: string; message?: string };
  return new ApiError(response.status, error ?? 'unknown', message ?? `The server answered ${response.status}.`);
}

/** POST /api/imports with upload progress (fetch cannot report it; XMLHttpRequest can). */
function upload(file: File, csrfToken: string, onProgress: (fraction: number) => void): Promise<{ id: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/imports');
    xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    xhr.onerror = () =>
      reject(new ApiError(0, 'network', 'The upload was interrupted. Check your connection and try again.'));
    xhr.onload = () => {
      if (xhr.status === 202) resolve(xhr.response as { id: string });
      else void readError({ status: xhr.status, body: xhr.response as unknown }).then(reject);
    };
    const form = new FormData();
    form.append('archive', file);
    xhr.send(form);
  });
}

async function importState(id: string): Promise<ImportView> {
  const response = await fetch(`/api/imports/${encodeURIComponent(id)}`, {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  });
  const body = (await response.json().catch(() => undefined)) as unknown;
  if (!response.ok) throw await readError({ status: response.status, body });
  return body as ImportView;
}

/** "Import your Strava archive": the upload, the import's live progress, and why it failed. */
export function ArchiveImport({ csrfToken, onImported }: { csrfToken: string; onImported: () => void }) {
  const [id, setId] = useState<string | null>(() => sessionStorage.getItem(STORAGE_KEY));
  const [view, setView] = useState<ImportView>();
  const [uploaded, setUploaded] = useState<number>();
  const [error, setError] = useState<ApiError>();
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!id) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => {
      importState(id).then(
        (next) => {
          if (!live) return;
          setView(next);
          if (active(next)) timer = setTimeout(poll, POLL_MS);
          else {
            sessionStorage.removeItem(STORAGE_KEY);
            if (next.status === ImportStatus.Done) onImported();
          }
        },
        (failure: ApiError) => {
          if (!live) return;
          if (failure.status === 404) {
            sessionStorage.removeItem(STORAGE_KEY);
            setId(null);
          } else timer = setTimeout(poll, POLL_MS * 3);
        },
      );
    };
    poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [id, onImported]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) return;
    setError(undefined);
    setView(undefined);
    setUploaded(0);
    try {
      const accepted = await upload(file, csrfToken, setUploaded);
      sessionStorage.setItem(STORAGE_KEY, accepted.id);
      setId(accepted.id);
    } catch (failure) {
      setError(failure as ApiError);
    } finally {
      setUploaded(undefined);
    }
  };

  const busy = uploaded !== undefined || active(view);
  const progress =
    uploaded !== undefined ? uploaded : view && active(view) && view.total > 0 ? view.done / view.total : undefined;
  return (
    <section className="card archive-import" aria-labelledby="import-title">
      <h2 id="import-title">Import your Strava archive</h2>
      <p className="hint">
        Strava → Settings → My Account → Download or delete your account → Request your archive. Upload the ZIP it sends
        you as it came: runs already here are kept once, and every run’s best efforts come from its file.
      </p>
      <form onSubmit={(event) => void submit(event)}>
        <label htmlFor="archive-file">Archive (ZIP)</label>{' '}
        <input id="archive-file" ref={input} type="file" name="archive" accept=".zip,application/zip" disabled={busy} />{' '}
        <button type="submit" className="button secondary" disabled={busy}>
          {uploaded !== undefined ? 'Uploading…' : active(view) ? 'Importing…' : 'Import'}
        </button>
      </form>
      <p role="status" aria-live="polite" data-testid="import-status">
        {uploaded !== undefined ? `Uploading… ${Math.round(uploaded * 100)}%` : view ? statusLine(view) : ''}
      </p>
      {progress !== undefined && (
        <progress max={1} value={progress} aria-label="Import progress" data-testid="import-progress" />
      )}
      {view?.status === ImportStatus.Failed && view.error && (
        <div className="notice error" role="alert" data-testid="import-error">
          <p>{view.error.message}</p>
        </div>
      )}
      {error && (
        <p className="hint error-text" role="alert" data-testid="import-error">
          {error.message}
        </p>
      )}
    </section>
  );
}
