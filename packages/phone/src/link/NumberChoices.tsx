export interface NumberChoicesProps {
  choices: readonly number[];
  picked: number | null;
  onPick: (n: number) => void;
  disabled: boolean;
}

/**
 * LNK-16: the computer is on another network, so the person proves they are looking at it by picking
 * the number it shows. Plain radio buttons (one tab stop, arrow keys), drawn as large tiles.
 */
export function NumberChoices({ choices, picked, onPick, disabled }: NumberChoicesProps) {
  return (
    <fieldset className="number-match" disabled={disabled}>
      <legend className="number-match__legend">Which number does the computer show?</legend>
      <div className="number-match__choices">
        {choices.map((n) => (
          <label key={n} className="number-match__choice">
            <input
              type="radio"
              name="match-number"
              value={n}
              checked={picked === n}
              onChange={() => onPick(n)}
            />
            <span>{n}</span>
          </label>
        ))}
      </div>
      <p className="number-match__hint">
        Look at the computer’s screen. If it shows no number, or someone told you which one to pick, tap
        Cancel.
      </p>
    </fieldset>
  );
}
