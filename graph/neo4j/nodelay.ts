// neo4j-driver 5.28.2 leaves Nagle's algorithm on for its Node.js sockets and writes each Bolt
// message in 1400-byte chunks. Any message past one chunk (a batch of mail bodies, a long search
// result request) then waits for the server's delayed ACK: measured on loopback, every statement
// with an 8 KB+ parameter took ~45 ms instead of ~1.5 ms. The driver has no option for it, so
// the sockets it opens to the Bolt ports we connect to get TCP_NODELAY here. Only sockets to those
// ports are touched; everything else in the process keeps Node's defaults.
import net from 'node:net';

const boltPorts = new Set<number>();
let installed = false;

// net.connect is overloaded (port/host, options object, path); the wrapper forwards the arguments
// untouched, so it is typed loosely and only reads the port back out.
type AnyConnect = (...args: unknown[]) => net.Socket;

function portOf(args: unknown[]): number | null {
  const first = args[0];
  if (typeof first === 'number') return first;
  if (typeof first === 'string' && /^\d+$/.test(first)) return Number(first);
  if (first && typeof first === 'object' && 'port' in first) return Number((first as { port: unknown }).port);
  return null;
}

/** Makes the driver's future sockets to `port` use TCP_NODELAY. */
export function noDelayForBoltPort(port: number): void {
  boltPorts.add(port);
  if (installed) return;
  installed = true;
  const original = net.connect as unknown as AnyConnect;
  const wrapped: AnyConnect = (...args) => {
    const socket = original.apply(net, args);
    const p = portOf(args);
    if (p !== null && boltPorts.has(p)) socket.setNoDelay(true);
    return socket;
  };
  (net as unknown as { connect: AnyConnect }).connect = wrapped;
}

/** The port of a bolt:// or neo4j:// URI (7687 when none is written). */
export function boltPort(uri: string): number {
  const m = /^[a-z+]+:\/\/(?:\[[^\]]*\]|[^:/]*)(?::(\d+))?/i.exec(uri);
  return m && m[1] ? Number(m[1]) : 7687;
}
