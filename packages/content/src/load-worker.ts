// A worker thread that loads batches of documents for `loadCatalogFiles`, so large catalogs
// parse on every core. Messages in: { files: [file, absolute][], document: DocumentOptions }.
// Messages out: FileResult[] for the batch, in order.
import { parentPort } from 'node:worker_threads';
import { loadDocument, type DocumentOptions, type FileResult } from './compile-file.js';

interface Batch {
  files: [string, string][];
  document: DocumentOptions;
}

const port = parentPort;
if (port) {
  port.on('message', (batch: Batch) => {
    // Each path goes back as its JSON: a string is copied to the other thread in one piece.
    const results: FileResult[] = [];
    for (const [file, absolute] of batch.files) results.push(loadDocument(file, absolute, batch.document));
    port.postMessage(results);
  });
  port.postMessage('ready');
}
