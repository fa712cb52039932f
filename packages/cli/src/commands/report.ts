// The formatting lives in @learnpath/content so that the service logs diagnostics the same way.
export { formatDiagnostics, summarizeDiagnostics as summarize } from '@learnpath/content';
