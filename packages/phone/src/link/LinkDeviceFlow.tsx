import { macKeyFrom } from '@latch/client';
import { useEffect } from 'react';
import { ApprovalSheet } from './ApprovalSheet';
import { DeviceLimitSheet } from './DeviceLimitSheet';
import { LinkCodeSheet } from './LinkCodeSheet';
import { readQrText } from './readQrText';
import { ScannerSheet } from './ScannerSheet';
import { useLinkFlow } from './useLinkFlow';

export type LinkMode = { kind: 'scan' } | { kind: 'code'; prompted: boolean };

export interface LinkDeviceFlowProps {
  mode: LinkMode;
  onMode: (mode: LinkMode) => void;
  onLinked: (deviceName: string) => void;
  onClose: () => void;
}

/** Linking a computer, from the scan (or typed code) to the approval; one sheet per state. */
export function LinkDeviceFlow({ mode, onMode, onLinked, onClose }: LinkDeviceFlowProps) {
  const flow = useLinkFlow();
  const { state } = flow;
  const linkedName = state.kind === 'linked' ? state.deviceName : null;
  useEffect(() => {
    if (linkedName !== null) onLinked(linkedName);
  }, [linkedName, onLinked]);

  const cancel = () => {
    flow.cancel();
    onClose();
  };

  switch (state.kind) {
    case 'input':
    case 'checking':
    case 'refused':
      return mode.kind === 'scan' ? (
        <ScannerSheet
          state={state}
          onText={(text) => {
            const read = readQrText(text, location.origin);
            if (read.ok) flow.check(read.source);
            else flow.refuse(read.message);
          }}
          onNoCode={flow.refuse}
          onRetry={flow.reset}
          onUseCode={() => {
            flow.reset();
            onMode({ kind: 'code', prompted: false });
          }}
          onClose={onClose}
        />
      ) : (
        <LinkCodeSheet
          state={state}
          prompted={mode.prompted}
          onSubmit={(code) => flow.check({ kind: 'code', code, macKey: macKeyFrom({ code }) })}
          onEdit={flow.reset}
          onScanInstead={() => {
            flow.reset();
            onMode({ kind: 'scan' });
          }}
          onClose={onClose}
        />
      );
    case 'review':
      return <ApprovalSheet review={state.review} onApprove={flow.approve} onCancel={cancel} />;
    case 'device_limit':
      return <DeviceLimitSheet devices={state.devices} onFreed={flow.backToReview} onCancel={cancel} />;
    case 'linked':
      return null;
    default: {
      const missing: never = state;
      throw new Error(`Unhandled link state ${JSON.stringify(missing)}`);
    }
  }
}
