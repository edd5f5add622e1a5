import type { ApiError } from '../api.js';

export function Loading({ label, full = false }: { label: string; full?: boolean }) {
  return (
    <div className={full ? 'loading full' : 'loading'} role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function ErrorPanel({ title, error, onRetry }: { title: string; error: ApiError; onRetry?: () => void }) {
  return (
    <div className="notice error" role="alert">
      <p className="notice-title">{title}</p>
      <p>{error.message}</p>
      {onRetry && (
        <button type="button" className="button secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="empty">
      <p className="notice-title">{title}</p>
      <p>{children}</p>
    </div>
  );
}
