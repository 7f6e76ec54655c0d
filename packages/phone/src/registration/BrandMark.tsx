/** The Latch logo: a padlock in a rounded square. */
export function BrandMark({ size = 'large' }: { size?: 'large' | 'small' }) {
  return (
    <svg
      className={`brand-mark brand-mark--${size}`}
      viewBox="0 0 64 64"
      aria-hidden="true"
      focusable="false"
    >
      <rect className="brand-mark__bg" width="64" height="64" rx="18" />
      <path className="brand-mark__shackle" d="M22 29v-5a10 10 0 0 1 20 0v5" />
      <rect className="brand-mark__body" x="16" y="28" width="32" height="24" rx="6" />
      <circle className="brand-mark__hole" cx="32" cy="39" r="4" />
      <rect className="brand-mark__hole" x="30" y="40" width="4" height="7" rx="2" />
    </svg>
  );
}
