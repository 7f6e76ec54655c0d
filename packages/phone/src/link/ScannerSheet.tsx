import { type ChangeEvent, useRef } from 'react';
import { Icon } from '../ui/Icon';
import { Sheet } from '../ui/Sheet';
import { grabPixels } from './grabPixels';
import { type CameraState, useCamera } from './useCamera';
import type { LinkFlowState } from './useLinkFlow';
import { useQrDecoder } from './useQrDecoder';
import { useScanLoop } from './useScanLoop';

export interface ScannerSheetProps {
  state: Extract<LinkFlowState, { kind: 'input' | 'checking' | 'refused' }>;
  onText: (text: string) => void;
  onNoCode: (message: string) => void;
  onRetry: () => void;
  onUseCode: () => void;
  onClose: () => void;
}

function cameraText(camera: CameraState): string {
  switch (camera.kind) {
    case 'starting':
      return 'Starting the camera…';
    case 'live':
      return 'Point this phone at the QR code on the computer screen.';
    case 'denied':
      return 'Camera access is blocked. Allow it in your browser settings, or use “Scan from image” or “Link with phone number instead”.';
    case 'unavailable':
      return 'No camera is available. Use “Scan from image” or “Link with phone number instead”.';
    default: {
      const missing: never = camera;
      throw new Error(`Unhandled camera state ${JSON.stringify(missing)}`);
    }
  }
}

/** The camera QR scanner, with a picture-file fallback. Decoding runs in a worker. */
export function ScannerSheet({ state, onText, onNoCode, onRetry, onUseCode, onClose }: ScannerSheetProps) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const camera = useCamera(videoRef, true);
  const decode = useQrDecoder();
  useScanLoop(videoRef, camera.kind === 'live' && state.kind === 'input', decode, onText);

  const fromFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    try {
      const bitmap = await createImageBitmap(file);
      const image = grabPixels(bitmap, bitmap.width, bitmap.height, document.createElement('canvas'));
      bitmap.close();
      const text = image ? await decode(image, true) : null;
      if (text) onText(text);
      else onNoCode('No QR code was found in this picture.');
    } catch {
      onNoCode('This file could not be opened as a picture.');
    }
  };

  const blocked = camera.kind === 'denied' || camera.kind === 'unavailable';
  return (
    <Sheet title="Scan QR code" variant="full" onClose={onClose}>
      <div className={blocked ? 'scanner scanner--blocked' : 'scanner'}>
        <video ref={videoRef} className="scanner__video" muted playsInline aria-label="Camera preview" />
        {!blocked && <div className="scanner__frame" aria-hidden="true" />}
        {blocked && (
          <div className="scanner__blocked" aria-hidden="true">
            <Icon name="alert" />
            <span className="scanner__blocked-title">
              {camera.kind === 'denied' ? 'Camera blocked' : 'No camera'}
            </span>
          </div>
        )}
      </div>
      <div className="scanner__panel">
        <p className={blocked ? 'scanner__status scanner__status--problem' : 'scanner__status'} role="status">
          {state.kind === 'checking' ? 'Checking the code…' : cameraText(camera)}
        </p>
        {state.kind === 'refused' && (
          <div className="scanner__refused" role="alert">
            <p>{state.message}</p>
            <button type="button" className="btn btn--secondary" onClick={onRetry}>
              Scan again
            </button>
          </div>
        )}
        <div className="scanner__actions">
          <label className="btn btn--secondary btn--block file-button">
            <Icon name="image" />
            Scan from image
            <input
              type="file"
              accept="image/*"
              className="visually-hidden"
              onChange={(e) => void fromFile(e)}
            />
          </label>
          <button type="button" className="btn btn--text btn--block" onClick={onUseCode}>
            Link with phone number instead
          </button>
        </div>
      </div>
    </Sheet>
  );
}
