import type { Server } from 'node:http';

/**
 * The base URL of the address `server` listens at (`http://127.0.0.1:3000`), or
 * `http://localhost` before it listens. Exports fall back to it when no public base URL is
 * configured: never to the Host header of a request, which any client can forge.
 */
export function listeningBaseUrl(server: Pick<Server, 'address'>): string {
  const address = server.address();
  if (address === null || typeof address === 'string') return 'http://localhost';
  const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
