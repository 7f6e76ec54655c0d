import type { ReactNode } from 'react';

/** Inline SVG icons: decorative by default (the button or text next to them carries the name). */
interface IconProps {
  className?: string;
}

function Svg({
  className,
  children,
  viewBox = '0 0 24 24',
}: IconProps & { children: ReactNode; viewBox?: string }) {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      viewBox={viewBox}
      aria-hidden="true"
      focusable="false"
      fill="currentColor"
    >
      {children}
    </svg>
  );
}

export function MenuDotsIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <circle cx="12" cy="5" r="2" />
      <circle cx="12" cy="12" r="2" />
      <circle cx="12" cy="19" r="2" />
    </Svg>
  );
}

export function NewChatIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M4 4h12a2 2 0 0 1 2 2v3h-2V6H4v10h3v2.6L10 16h2v2h-1.3L7 21.3a.6.6 0 0 1-1-.5V18H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2Z" />
      <path d="M18 11h2v3h3v2h-3v3h-2v-3h-3v-2h3z" />
    </Svg>
  );
}

export function SearchIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M10 3a7 7 0 0 1 5.6 11.2l5.1 5.1-1.4 1.4-5.1-5.1A7 7 0 1 1 10 3Zm0 2a5 5 0 1 0 0 10 5 5 0 0 0 0-10Z" />
    </Svg>
  );
}

export function SendIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z" />
    </Svg>
  );
}

export function BackIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M20 11H7.8l5.6-5.6L12 4l-8 8 8 8 1.4-1.4L7.8 13H20z" />
    </Svg>
  );
}

export function ClockIcon(props: IconProps) {
  return (
    <Svg {...props} viewBox="0 0 16 16">
      <path d="M8 1.5a6.5 6.5 0 1 1 0 13 6.5 6.5 0 0 1 0-13Zm0 1.3a5.2 5.2 0 1 0 0 10.4A5.2 5.2 0 0 0 8 2.8Zm.6 1.7v3.3l2.6 1.6-.7 1.1-3.2-2V4.5z" />
    </Svg>
  );
}

export function CheckIcon(props: IconProps) {
  return (
    <Svg {...props} viewBox="0 0 16 11">
      <path d="M5.3 10.4.6 5.7l1.1-1.1 3.6 3.6L14.3 0l1.1 1.1z" />
    </Svg>
  );
}

export function DoubleCheckIcon(props: IconProps) {
  return (
    <Svg {...props} viewBox="0 0 18 11">
      <path d="M5 10.4.4 5.8l1.1-1.1L5 8.2 12.9.3 14 1.4zm4.3 0-1.8-1.8 1.1-1.1.7.7L17.2.3l1.1 1.1z" />
    </Svg>
  );
}

export function AlertIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20Zm-1 5v7h2V7zm0 9v2h2v-2z" />
    </Svg>
  );
}

export function LockIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M12 2a5 5 0 0 1 5 5v3h1a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2h1V7a5 5 0 0 1 5-5Zm0 2a3 3 0 0 0-3 3v3h6V7a3 3 0 0 0-3-3Zm0 9a2 2 0 0 0-1 3.7V19h2v-2.3A2 2 0 0 0 12 13Z" />
    </Svg>
  );
}

export function LaptopIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M4 5a2 2 0 0 1 2-2h12a2 2 0 0 1 2 2v10h2v2a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2v-2h2zm2 0v10h12V5z" />
    </Svg>
  );
}

export function PhoneIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M7 1h10a2 2 0 0 1 2 2v18a2 2 0 0 1-2 2H7a2 2 0 0 1-2-2V3a2 2 0 0 1 2-2Zm0 3v15h10V4zm4 16v1h2v-1z" />
    </Svg>
  );
}

export function CloseIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="m6.4 5 5.6 5.6L17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z" />
    </Svg>
  );
}

export function ReloadIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M12 4a8 8 0 0 1 7.4 5H17v2h6V5h-2v2.3A10 10 0 1 0 22 12h-2a8 8 0 1 1-8-8Z" />
    </Svg>
  );
}

/** The Latch mark: a padlock in the brand colour. */
export function GroupIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7Zm0 2c-3.3 0-7 1.6-7 4v2h14v-2c0-2.4-3.7-4-7-4Z" />
      <path d="M16.5 11a3 3 0 1 0-1.1-5.8 5.4 5.4 0 0 1 0 5.6c.3.1.7.2 1.1.2Zm1.3 2.1c1.3.8 2.2 2 2.2 3.9v2h3v-2c0-2-2.6-3.4-5.2-3.9Z" />
    </Svg>
  );
}

export function InfoIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20Zm0 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16Zm-1 7h2v6h-2zm0-4h2v2h-2z" />
    </Svg>
  );
}

export function AddPersonIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M10 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8Zm0 2c-3.3 0-8 1.7-8 4.5V20h12.5v-1.5c0-1-.4-1.9-1-2.6A12 12 0 0 0 10 14Zm9-4V7h-2v3h-3v2h3v3h2v-3h3v-2z" />
    </Svg>
  );
}

export function LatchMark({ className }: IconProps) {
  return (
    <svg
      className={className ? `latch-mark ${className}` : 'latch-mark'}
      viewBox="0 0 64 64"
      aria-hidden="true"
      focusable="false"
    >
      <rect width="64" height="64" rx="16" className="latch-mark-bg" />
      <path
        d="M22 28v-6a10 10 0 0 1 20 0v6"
        fill="none"
        className="latch-mark-shackle"
        strokeWidth="5"
        strokeLinecap="round"
      />
      <rect x="16" y="28" width="32" height="24" rx="6" className="latch-mark-body" />
      <circle cx="32" cy="40" r="4" className="latch-mark-bg" />
    </svg>
  );
}
