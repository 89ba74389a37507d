/**
 * Entry point of the analysis worker (bundled as its own chunk through
 * `new Worker(new URL('./analysis.worker.js', import.meta.url))`, see
 * `spawn.ts`): tree-sitter, the grammar and the analyzers live here, off
 * the main thread.
 */
import { AnalysisHost } from './host';
import type { WorkerReply, WorkerRequest } from './protocol';

/** The little of `DedicatedWorkerGlobalScope` used here (lib is DOM). */
interface IWorkerScope {
  postMessage(message: WorkerReply): void;
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
}

const scope = self as unknown as IWorkerScope;
const host = new AnalysisHost(reply => scope.postMessage(reply));
scope.onmessage = event => void host.handle(event.data);
