import { useCallback, useState } from 'react';
import type { Me } from '../api.js';
import type { Unit } from '../lib/units.js';
import { ArchiveImport } from './ArchiveImport.js';
import { Avatar } from './Avatar.js';
import { PersonalBests } from './PersonalBests.js';
import { RunsList } from './RunsList.js';
import { SyncPanel } from './SyncPanel.js';
import { Totals } from './Totals.js';
import { UnitSwitch } from './UnitSwitch.js';
import { WeeklyChart } from './WeeklyChart.js';

export function Dashboard({ me, unit, onUnitChange }: { me: Me; unit: Unit; onUnitChange: (unit: Unit) => void }) {
  // Bumped when a sync finishes: every section reloads its data.
  const [version, setVersion] = useState(0);
  const onSynced = useCallback(() => setVersion((n) => n + 1), []);
  const name = `${me.firstname} ${me.lastname}`.trim();
  return (
    <>
      <a className="skip" href="#main">
        Skip to your training
      </a>
      <header className="top">
        <div className="top-inner">
          <span className="brand small">Runnerly</span>
          <div className="who">
            <Avatar url={me.profileImageUrl} name={name} />
            <span>
              <span className="visually-hidden">Logged in as </span>
              <strong data-testid="athlete-name">{name}</strong>
            </span>
          </div>
          <UnitSwitch unit={unit} onChange={onUnitChange} />
          <form method="post" action="/auth/logout" className="logout">
            <input type="hidden" name="_csrf" value={me.csrfToken} />
            <button type="submit" className="button secondary">
              Log out
            </button>
          </form>
        </div>
      </header>
      <main id="main" className="page">
        <SyncPanel csrfToken={me.csrfToken} onSynced={onSynced} />
        <Totals unit={unit} version={version} />
        <WeeklyChart unit={unit} version={version} />
        <PersonalBests unit={unit} version={version} />
        <RunsList unit={unit} version={version} />
        <ArchiveImport csrfToken={me.csrfToken} onImported={onSynced} />
      </main>
    </>
  );
}
