// The baseline of the HTTP benchmark: a bare node:http server that answers each URL with
// the response captured from the service (same headers, same body) and nothing else.
// Usage: bare-server.ts <responses.json>, where the file maps a URL path to
// { "headers": { name: value }, "body": "<base64>" }. Prints `LISTENING <url>`, stops on SIGTERM.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const file = process.argv[2];
if (!file) throw new Error('usage: bare-server.ts <responses.json>');
const table = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { headers: Record<string, string>; body: string }>;
const responses = new Map(Object.entries(table).map(([path, r]) => [path, { headers: r.headers, body: Buffer.from(r.body, 'base64') }]));

const server = createServer((req, res) => {
  const response = responses.get(req.url ?? '');
  if (response === undefined) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, response.headers);
  res.end(response.body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  console.log(`LISTENING http://127.0.0.1:${address.port}`);
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
