import { type RefObject, useEffect, useState } from 'react';

/** The camera, as the scanner shows it. */
export type CameraState =
  | { kind: 'starting' }
  | { kind: 'live' }
  /** The person (or the browser's policy) said no. */
  | { kind: 'denied' }
  /** No camera, or the browser cannot use one here. */
  | { kind: 'unavailable' };

function classify(err: unknown): CameraState {
  if (err instanceof DOMException && (err.name === 'NotAllowedError' || err.name === 'SecurityError')) {
    return { kind: 'denied' };
  }
  return { kind: 'unavailable' };
}

/** Streams the back camera into `videoRef` while `enabled`; stops every track when done. */
export function useCamera(videoRef: RefObject<HTMLVideoElement | null>, enabled: boolean): CameraState {
  const [state, setState] = useState<CameraState>({ kind: 'starting' });

  useEffect(() => {
    if (!enabled) return;
    let stream: MediaStream | null = null;
    let stopped = false;
    setState({ kind: 'starting' });
    if (!navigator.mediaDevices?.getUserMedia) {
      setState({ kind: 'unavailable' });
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }).then(
      async (s) => {
        if (stopped) {
          for (const t of s.getTracks()) t.stop();
          return;
        }
        stream = s;
        const video = videoRef.current;
        if (!video) return;
        video.srcObject = s;
        try {
          await video.play();
        } catch {
          // Autoplay of a muted inline video is allowed; a failure here still leaves frames to grab.
        }
        if (!stopped) setState({ kind: 'live' });
      },
      (err: unknown) => {
        if (!stopped) setState(classify(err));
      },
    );
    return () => {
      stopped = true;
      for (const t of stream?.getTracks() ?? []) t.stop();
      const video = videoRef.current;
      if (video) video.srcObject = null;
    };
  }, [enabled, videoRef]);

  return state;
}
