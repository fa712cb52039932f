// A worker thread that loads batches of documents for `loadCatalogFiles`, so large catalogs
// parse on every core. Messages in: { files: [file, absolute][], document: DocumentOptions }.
// Messages out: FileResult[] for the batch, in order.
import { parentPort } from 'node:worker_threads';
import { loadDocument, type DocumentOptions, type FileResult } from './compile-file.js';

interface Batch {
  files: [string, string][];
  document: Omit<DocumentOptions, 'sync'>;
}

const port = parentPort;
if (port) {
  port.on('message', (batch: Batch) => {
    // Blocking reads, one file after the other: this thread has nothing else to do.
    void (async () => {
      const results: FileResult[] = [];
      for (const [file, absolute] of batch.files) results.push(await loadDocument(file, absolute, { ...batch.document, sync: true }));
      port.postMessage(results);
    })();
  });
  port.postMessage('ready');
}
