import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { Me } from '../api.js';
import type { Unit } from '../lib/units.js';
import { ArchiveImport } from './ArchiveImport.js';
import { Avatar } from './Avatar.js';
import { PersonalBests, useBests } from './PersonalBests.js';
import { RunsList } from './RunsList.js';
import { SyncPanel } from './SyncPanel.js';
import { Totals } from './Totals.js';
import { UnitSwitch } from './UnitSwitch.js';
import { SectionBoundary } from './SectionBoundary.js';
import { Loading } from './States.js';
import { WeeklyChart } from './WeeklyChart.js';

// The year at a glance is its own chunk, and asks for its data once the runs are on screen: the
// runs list waits neither for its code nor for its six API calls.
const loadGlance = () => import('./Glance.js');
const Glance = lazy(loadGlance);

export function Dashboard({ me, unit, onUnitChange }: { me: Me; unit: Unit; onUnitChange: (unit: Unit) => void }) {
  // Bumped when a sync finishes: every section reloads its data.
  const [version, setVersion] = useState(0);
  const onSynced = useCallback(() => setVersion((n) => n + 1), []);
  const bests = useBests(version);
  const [runsSettled, setRunsSettled] = useState(false);
  const onRunsSettled = useCallback(() => setRunsSettled(true), []);
  useEffect(() => {
    void loadGlance();
  }, []);
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
        <PersonalBests unit={unit} bests={bests} />
        <RunsList unit={unit} version={version} bests={bests.data} onSettled={onRunsSettled} />
        <SectionBoundary title="Your year at a glance could not load">
          <Suspense fallback={<Loading label="Loading your year at a glance…" />}>
            {runsSettled ? (
              <Glance unit={unit} version={version} csrfToken={me.csrfToken} />
            ) : (
              <Loading label="Loading your year at a glance…" />
            )}
          </Suspense>
        </SectionBoundary>
        <ArchiveImport csrfToken={me.csrfToken} onImported={onSynced} />
      </main>
    </>
  );
}
