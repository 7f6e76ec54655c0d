import { type RefObject, useEffect, useRef } from 'react';
import { grabPixels } from './grabPixels';
import type { DecodeImage } from './useQrDecoder';

/** How often a camera frame is handed to the decoder (the next waits until the last is done). */
const FRAME_EVERY_MS = 150;

/** While `active`, decodes camera frames off the main thread and reports the first QR text found. */
export function useScanLoop(
  videoRef: RefObject<HTMLVideoElement | null>,
  active: boolean,
  decode: DecodeImage,
  onText: (text: string) => void,
): void {
  const onTextRef = useRef(onText);
  onTextRef.current = onText;

  useEffect(() => {
    if (!active) return;
    const canvas = document.createElement('canvas');
    let busy = false;
    let stopped = false;
    const timer = setInterval(() => {
      const video = videoRef.current;
      if (busy || !video || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) return;
      const image = grabPixels(video, video.videoWidth, video.videoHeight, canvas);
      if (!image) return;
      busy = true;
      decode(image, false).then((text) => {
        busy = false;
        if (text && !stopped) {
          stopped = true;
          clearInterval(timer);
          onTextRef.current(text);
        }
      });
    }, FRAME_EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [active, decode, videoRef]);
}
