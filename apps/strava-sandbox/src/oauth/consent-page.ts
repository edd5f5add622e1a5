import type { SandboxAthlete } from '../seed/world.js';
import type { AuthorizeRequest } from './oauth.service.js';

const SCOPE_LABELS: Record<string, string> = {
  read: 'View data about your public profile (required)',
  read_all: 'View data about your private routes, segments and events',
  'profile:read_all': 'View your complete Strava profile',
  'profile:write': 'Update your weight and FTP, and star or unstar segments',
  'activity:read': 'View data about your activities',
  'activity:read_all': 'View data about your activities, including private ones (Only You)',
  'activity:write': 'Upload activities and edit them',
};

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Strava's consent page, sandbox edition: pick who you are, untick scopes, Authorize or Cancel. */
export function renderConsentPage(clientId: string, request: AuthorizeRequest, athletes: SandboxAthlete[]): string {
  const hidden = (name: string, value: string | undefined) =>
    value === undefined ? '' : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  const athleteOptions = athletes
    .map(
      (athlete, index) => `
        <div class="choice">
          <input type="radio" id="athlete-${athlete.profile.id}" name="athlete_id" value="${athlete.profile.id}"${index === 0 ? ' checked' : ''}>
          <label for="athlete-${athlete.profile.id}">${escapeHtml(`${athlete.profile.firstname} ${athlete.profile.lastname}`)} <small>(${escapeHtml(athlete.profile.city ?? '')}, athlete ${athlete.profile.id})</small></label>
        </div>`,
    )
    .join('');
  const scopeOptions = request.scopes
    .map((scope) => {
      const id = `scope-${scope.replace(/[^a-z_]/g, '-')}`;
      const required = scope === 'read';
      return `
        <div class="choice">
          <input type="checkbox" id="${id}" name="scope" value="${escapeHtml(scope)}" checked${required ? ' disabled aria-describedby="read-required"' : ''}>
          <label for="${id}">${escapeHtml(SCOPE_LABELS[scope] ?? scope)} <code>${escapeHtml(scope)}</code></label>
        </div>`;
    })
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Authorize application – Strava sandbox</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #242428; }
  h1 { font-size: 1.4rem; } fieldset { border: 1px solid #ccc; border-radius: 6px; margin: 1rem 0; }
  .choice { margin: .4rem 0; } code { color: #666; font-size: .85em; }
  .actions { display: flex; gap: 1rem; } button { font-size: 1rem; padding: .6rem 1.4rem; border-radius: 4px; border: 1px solid #fc4c02; }
  button[value=authorize] { background: #fc4c02; color: #fff; } button[value=cancel] { background: #fff; color: #fc4c02; }
</style>
</head>
<body>
<main>
  <h1>Authorize application ${escapeHtml(clientId)} to connect to your Strava account</h1>
  <p>This is the local Strava sandbox: no real Strava account is involved.</p>
  <form method="post" action="/oauth/authorize">
    ${hidden('client_id', clientId)}
    ${hidden('redirect_uri', request.redirectUri)}
    ${hidden('response_type', 'code')}
    ${hidden('approval_prompt', request.approvalPrompt)}
    ${hidden('requested_scope', request.scopes.join(','))}
    ${hidden('state', request.state)}
    <fieldset>
      <legend>Sign in as</legend>${athleteOptions}
    </fieldset>
    <fieldset>
      <legend>The application asks to</legend>${scopeOptions}
      <p id="read-required"><small>Your public profile is always shared.</small></p>
    </fieldset>
    <div class="actions">
      <button type="submit" name="decision" value="authorize">Authorize</button>
      <button type="submit" name="decision" value="cancel">Cancel</button>
    </div>
  </form>
</main>
</body>
</html>
`;
}
