import { useCallback, useEffect, useRef } from 'react';
import { type DecodeRequest, parseDecodeResponse } from './qrMessages';

export type DecodeImage = (image: ImageData, thorough: boolean) => Promise<string | null>;

/** A QR decoder running in a Web Worker for as long as the component is mounted. */
export function useQrDecoder(): DecodeImage {
  const workerRef = useRef<Worker | null>(null);
  const pending = useRef(new Map<number, (text: string | null) => void>());
  const nextId = useRef(1);

  useEffect(() => {
    const worker = new Worker(new URL('./qrDecoder.worker.ts', import.meta.url), { type: 'module' });
    const waiting = pending.current;
    worker.onmessage = (event: MessageEvent<unknown>) => {
      const response = parseDecodeResponse(event.data);
      if (!response) return;
      waiting.get(response.id)?.(response.text);
      waiting.delete(response.id);
    };
    worker.onerror = () => {
      for (const resolve of waiting.values()) resolve(null);
      waiting.clear();
    };
    workerRef.current = worker;
    return () => {
      worker.terminate();
      workerRef.current = null;
      for (const resolve of waiting.values()) resolve(null);
      waiting.clear();
    };
  }, []);

  return useCallback((image: ImageData, thorough: boolean) => {
    const worker = workerRef.current;
    if (!worker) return Promise.resolve(null);
    const id = nextId.current++;
    return new Promise<string | null>((resolve) => {
      pending.current.set(id, resolve);
      const { width, height, data } = image;
      const request: DecodeRequest = { id, width, height, data, thorough };
      worker.postMessage(request, [data.buffer]);
    });
  }, []);
}
