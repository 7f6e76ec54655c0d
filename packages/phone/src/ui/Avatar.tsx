const COLOURS = 6;

function hue(seed: string): number {
  let h = 0;
  for (const c of seed) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h % COLOURS;
}

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = words[0]?.[0] ?? '';
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

/** A round badge with a person's initials; the colour is stable per `seed`. */
export function Avatar({
  name,
  seed,
  size = 'medium',
}: {
  name: string;
  seed: string;
  size?: 'medium' | 'large';
}) {
  return (
    <span className={`avatar avatar--${size} avatar--c${hue(seed)}`} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
