import { useCallback, useEffect, useState } from 'react';
import { ApiError } from './api.js';

export type Resource<T> =
  { state: 'loading'; data?: T } | { state: 'error'; error: ApiError; data?: T } | { state: 'ready'; data: T };

/** Loads `load()` whenever `deps` change; keeps the previous data while reloading. */
export function useResource<T>(load: () => Promise<T>, deps: unknown[]): Resource<T> & { reload: () => void } {
  const [resource, setResource] = useState<Resource<T>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setResource((previous) => ({ state: 'loading', data: previous.data }));
    load().then(
      (data) => live && setResource({ state: 'ready', data }),
      (error: unknown) =>
        live &&
        setResource((previous) => ({
          state: 'error',
          data: previous.data,
          error: error instanceof ApiError ? error : new ApiError(0, 'unknown', 'Something went wrong.'),
        })),
    );
    return () => {
      live = false;
    };
  }, [...deps, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...resource, reload };
}
