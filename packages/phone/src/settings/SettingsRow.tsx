import { useId } from 'react';
import { Icon, type IconName } from '../ui/Icon';

export interface SettingsRowProps {
  icon: IconName;
  label: string;
  hint: string;
  onClick: () => void;
}

/** A row named by its label alone; the hint is its description. */
export function SettingsRow({ icon, label, hint, onClick }: SettingsRowProps) {
  const id = useId();
  return (
    <li>
      <button
        type="button"
        className="settings-row"
        onClick={onClick}
        aria-labelledby={`${id}-label`}
        aria-describedby={`${id}-hint`}
      >
        <Icon name={icon} className="settings-row__icon" />
        <span className="settings-row__text">
          <span id={`${id}-label`} className="settings-row__label">
            {label}
          </span>
          <span id={`${id}-hint`} className="settings-row__hint">
            {hint}
          </span>
        </span>
        <Icon name="chevron" className="settings-row__chevron" />
      </button>
    </li>
  );
}
