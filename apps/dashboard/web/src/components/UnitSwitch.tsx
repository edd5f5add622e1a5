import type { Unit } from '../lib/units.js';

const UNITS: Array<{ value: Unit; label: string }> = [
  { value: 'km', label: 'Kilometres' },
  { value: 'mi', label: 'Miles' },
];

/** A pair of radio buttons (arrow keys move between them), styled as a segmented control. */
export function UnitSwitch({ unit, onChange }: { unit: Unit; onChange: (unit: Unit) => void }) {
  return (
    <fieldset className="units">
      <legend className="visually-hidden">Distance units</legend>
      {UNITS.map((option) => (
        <label key={option.value} className={option.value === unit ? 'on' : undefined}>
          <input
            type="radio"
            name="unit"
            value={option.value}
            checked={option.value === unit}
            onChange={() => onChange(option.value)}
          />
          <span aria-hidden="true">{option.value}</span>
          <span className="visually-hidden">{option.label}</span>
        </label>
      ))}
    </fieldset>
  );
}
