// A worker thread that loads batches of documents for `loadCatalogFiles`, so large catalogs
// parse on every core. Messages in: { files: [file, absolute][], maxBytes, concurrency }.
// Messages out: FileResult[] for the batch, in order.
import { parentPort } from 'node:worker_threads';
import { loadDocument } from './compile-file.js';
import { mapLimit } from './map-limit.js';

interface Batch {
  files: [string, string][];
  maxBytes: number;
  concurrency: number;
}

const port = parentPort;
if (port) {
  port.on('message', (batch: Batch) => {
    void mapLimit(batch.files, batch.concurrency, ([file, absolute]) => loadDocument(file, absolute, batch.maxBytes)).then((results) => port.postMessage(results));
  });
  port.postMessage('ready');
}
