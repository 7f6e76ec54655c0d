import type { EngineSnapshot, LatchEngine } from '@latch/client';
import type { ServerEventFrame } from '@latch/protocol';
import {
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useEffectEvent,
  useSyncExternalStore,
} from 'react';

const EngineContext = createContext<LatchEngine | null>(null);

/** Puts one signed-in device's engine in reach of every screen below. */
export function EngineProvider({ engine, children }: { engine: LatchEngine; children: ReactNode }) {
  return <EngineContext.Provider value={engine}>{children}</EngineContext.Provider>;
}

/** The engine of the signed-in device; only rendered below an {@link EngineProvider}. */
export function useEngine(): LatchEngine {
  const engine = useContext(EngineContext);
  if (!engine) throw new Error('useEngine outside EngineProvider');
  return engine;
}

/**
 * One slice of the engine's snapshot; the component renders again only when that slice changes.
 * `select` must return something the snapshot already holds (or a primitive), not a new object.
 */
export function useEngineSnapshot<T>(select: (snapshot: EngineSnapshot) => T): T {
  const engine = useEngine();
  return useSyncExternalStore(engine.subscribe, () => select(engine.getSnapshot()));
}

export type EventType = ServerEventFrame['type'];
export type EventOf<T extends EventType> = Extract<ServerEventFrame, { type: T }>;

function isEvent<T extends EventType>(frame: ServerEventFrame, type: T): frame is EventOf<T> {
  return frame.type === type;
}

/** Calls the latest `handler` for every server event of `type` while mounted. */
export function useServerEvent<T extends EventType>(type: T, handler: (frame: EventOf<T>) => void): void {
  const engine = useEngine();
  const onFrame = useEffectEvent((frame: EventOf<T>) => handler(frame));
  useEffect(
    () =>
      engine.onEvent((frame) => {
        if (isEvent(frame, type)) onFrame(frame);
      }),
    [engine, type],
  );
}

/**
 * Runs `load` now and again each time the connection becomes ready (after a reconnect), so a screen
 * that shows server data outside the engine's snapshot (devices, security events) catches up.
 */
export function useOnReady(load: () => void): void {
  const ready = useEngineSnapshot((s) => s.connection.kind === 'ready');
  const onReady = useEffectEvent(load);
  useEffect(() => {
    if (ready) onReady();
  }, [ready]);
}
