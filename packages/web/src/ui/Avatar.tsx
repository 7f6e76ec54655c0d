import './Avatar.css';

const PALETTE_SIZE = 6;

/** Two letters for a name ("Ada Lovelace" → "AL"), or the last digits of a number. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  if (words[0]?.startsWith('+')) return words[0].slice(-2);
  const first = words[0]?.[0] ?? '';
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

function paletteIndex(seed: string): number {
  let hash = 0;
  for (const ch of seed) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return hash % PALETTE_SIZE;
}

interface AvatarProps {
  name: string;
  /** Stable id that picks the colour, so a rename keeps it. */
  seed: string;
  size?: 'small' | 'medium' | 'large';
}

/** A round badge with initials; decorative (the name is always written next to it). */
export function Avatar({ name, seed, size = 'medium' }: AvatarProps) {
  return (
    <span className={`avatar avatar-${size} avatar-color-${paletteIndex(seed)}`} aria-hidden="true">
      {initialsOf(name)}
    </span>
  );
}
