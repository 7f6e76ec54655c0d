import { Icon, type IconName } from '../ui/Icon';

export interface SettingsRowProps {
  icon: IconName;
  label: string;
  hint: string;
  onClick: () => void;
}

/** A row named by what it shows (label, then hint), so speech input can say what it sees (A11Y-1). */
export function SettingsRow({ icon, label, hint, onClick }: SettingsRowProps) {
  return (
    <li>
      <button type="button" className="settings-row" onClick={onClick}>
        <Icon name={icon} className="settings-row__icon" />
        <span className="settings-row__text">
          <span className="settings-row__label">{label}</span>
          <span className="settings-row__hint">{hint}</span>
        </span>
        <Icon name="chevron" className="settings-row__chevron" />
      </button>
    </li>
  );
}
