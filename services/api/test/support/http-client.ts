import { Agent, request } from 'node:http';

/** An answer as the client saw it. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** HTTP/1.1 over a fixed number of keep-alive connections, as an integrator's client pool sends. */
export interface HttpClient {
  send(method: string, path: string, options?: { headers?: Record<string, string>; body?: string }): Promise<HttpAnswer>;
  close(): void;
}

/** A client of `base` that keeps at most `connections` connections open and queues the rest. */
export function createHttpClient(base: string, connections: number): HttpClient {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  return {
    send(method, path, options = {}) {
      return new Promise((resolve, reject) => {
        const req = request(new URL(path, base), { method, agent, headers: { accept: 'application/json', ...options.headers } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(options.body);
      });
    },
    close: () => agent.destroy(),
  };
}
