import { useEffect, useState } from 'react';
import { api, ApiError, type Me } from './api.js';
import { Dashboard } from './components/Dashboard.js';
import { Landing } from './components/Landing.js';
import { ErrorPanel, Loading } from './components/States.js';
import { parseUnit, UNIT_STORAGE_KEY, type Unit } from './lib/units.js';

type Session =
  { state: 'loading' } | { state: 'anonymous' } | { state: 'error'; error: ApiError } | { state: 'in'; me: Me };

function storedUnit(): Unit {
  try {
    return parseUnit(localStorage.getItem(UNIT_STORAGE_KEY));
  } catch {
    return 'km';
  }
}

/** Takes the login outcome the dashboard put in the URL, and removes it so a reload does not repeat it. */
function takeLoginError(): string | null {
  const url = new URL(window.location.href);
  const code = url.searchParams.get('login_error');
  if (code) {
    url.searchParams.delete('login_error');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  return code;
}

export function App() {
  const [session, setSession] = useState<Session>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [loginError] = useState(takeLoginError);
  const [unit, setUnit] = useState<Unit>(storedUnit);

  useEffect(() => {
    let live = true;
    api.me().then(
      (me) => live && setSession({ state: 'in', me }),
      (error: ApiError) =>
        live && setSession(error.status === 401 ? { state: 'anonymous' } : { state: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const changeUnit = (next: Unit) => {
    setUnit(next);
    try {
      localStorage.setItem(UNIT_STORAGE_KEY, next);
    } catch {
      // private mode: the choice lasts for this visit only
    }
  };

  switch (session.state) {
    case 'loading':
      return <Loading label="Loading Runnerly…" full />;
    case 'anonymous':
      return <Landing loginError={loginError} />;
    case 'error':
      return (
        <main className="page narrow">
          <ErrorPanel title="Runnerly could not load" error={session.error} onRetry={() => setAttempt((n) => n + 1)} />
        </main>
      );
    case 'in':
      return <Dashboard me={session.me} unit={unit} onUnitChange={changeUnit} />;
  }
}
