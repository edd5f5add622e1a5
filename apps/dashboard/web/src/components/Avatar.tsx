import { useState } from 'react';

/** The Strava profile picture, or the runner's initials when there is none or it cannot load. */
export function Avatar({ url, name }: { url?: string | null; name: string }) {
  const [failed, setFailed] = useState(false);
  if (url && !failed) {
    return <img src={url} alt="" width={32} height={32} className="avatar" onError={() => setFailed(true)} />;
  }
  const initials = name
    .split(/\s+/)
    .map((part) => part[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
  return (
    <span className="avatar initials" aria-hidden="true">
      {initials}
    </span>
  );
}
