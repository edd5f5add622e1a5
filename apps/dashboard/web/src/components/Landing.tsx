import { loginProblem } from '../lib/messages.js';

export function Landing({ loginError }: { loginError: string | null }) {
  const problem = loginError ? loginProblem(loginError) : undefined;
  return (
    <main className="page narrow landing">
      <h1 className="brand">Runnerly</h1>
      <p className="lead">Your runs from Strava, added up: weekly distance, totals, personal bests and every route.</p>
      {problem && (
        <div className={problem.operator ? 'notice warning' : 'notice error'} role="alert">
          <p className="notice-title">{problem.title}</p>
          <p>{problem.text}</p>
        </div>
      )}
      <a className="button strava" href="/auth/strava">
        {problem && !problem.operator ? 'Try again with Strava' : 'Log in with Strava'}
      </a>
      <p className="fine">
        Runnerly asks Strava for read access to your profile and your activities, nothing more. You can disconnect at
        any time from your Strava settings.
      </p>
    </main>
  );
}
