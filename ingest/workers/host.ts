// Worker side of taskPool.ts: loads the handler module named in workerData and answers each
// batch of requests with one batch of results (or errors), tagged with the request ids.
import { parentPort, workerData } from 'node:worker_threads';

export interface HostRequest<Req> {
  id: number;
  req: Req;
}

export type HostResponse<Res> = { id: number; ok: true; value: Res } | { id: number; ok: false; name: string; error: string };

interface HandlerModule {
  handle(req: unknown): unknown;
}

const port = parentPort;
if (port) {
  const { handler } = workerData as { handler: string };
  const mod = (await import(handler)) as HandlerModule;
  port.on('message', (batch: HostRequest<unknown>[]) => {
    void (async () => {
      // One request after another (an async handler, such as parsing, is awaited in turn).
      const out: HostResponse<unknown>[] = [];
      for (const { id, req } of batch) {
        try {
          out.push({ id, ok: true, value: await mod.handle(req) });
        } catch (err) {
          out.push({ id, ok: false, name: err instanceof Error ? err.name : 'Error', error: err instanceof Error ? err.message : String(err) });
        }
      }
      port.postMessage(out);
    })();
  });
}
