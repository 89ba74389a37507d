/** Fake and in-memory workers for the worker tests. */
import * as fs from 'fs';
import type { IParserAssets } from '../../analyzer/syntax/parser';
import type { ICellFinding, IFinding } from '../../analyzer/types';
import type { IWorkerLike } from '../client';
import { AnalysisHost } from '../host';
import {
  WORKER_PROTOCOL_VERSION,
  WorkerReply,
  WorkerRequest
} from '../protocol';

/** The wasm files as bytes from node_modules (what node can load). */
export function nodeAssets(): IParserAssets {
  const bytes = (id: string) =>
    new Uint8Array(fs.readFileSync(require.resolve(id)));
  return {
    runtime: bytes('web-tree-sitter/web-tree-sitter.wasm'),
    python: bytes('tree-sitter-python/tree-sitter-python.wasm')
  };
}

/** A worker that records requests; the test answers them by hand. */
export class RecordingWorker implements IWorkerLike {
  readonly sent: WorkerRequest[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent<WorkerReply>) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  onmessageerror: ((event: MessageEvent) => void) | null = null;

  postMessage(message: WorkerRequest): void {
    this.sent.push(structuredClone(message));
  }

  terminate(): void {
    this.terminated = true;
  }

  /** Requests of one type, in order. */
  requests<K extends WorkerRequest['type']>(
    type: K
  ): Extract<WorkerRequest, { type: K }>[] {
    return this.sent.filter(
      (m): m is Extract<WorkerRequest, { type: K }> => m.type === type
    );
  }

  reply(reply: WorkerReply): void {
    this.onmessage?.({ data: reply } as MessageEvent<WorkerReply>);
  }

  /** Answer the `init` request. */
  ready(): void {
    this.reply({
      type: 'ready',
      seq: this.requests('init')[0].seq,
      protocol: WORKER_PROTOCOL_VERSION
    });
  }

  /** The worker throws outside any handler (what a crash looks like). */
  crash(message: string): void {
    this.onerror?.({ message } as unknown as Event);
  }
}

/**
 * A worker that runs the real `AnalysisHost` in the same thread; messages
 * are structured-cloned and delivered asynchronously, as between threads.
 */
export class InMemoryWorker implements IWorkerLike {
  readonly sent: WorkerRequest[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent<WorkerReply>) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  onmessageerror: ((event: MessageEvent) => void) | null = null;
  readonly host = new AnalysisHost(reply => {
    const data = structuredClone(reply);
    setTimeout(() => {
      if (!this.terminated) {
        this.onmessage?.({ data } as MessageEvent<WorkerReply>);
      }
    }, 0);
  });

  postMessage(message: WorkerRequest): void {
    const data = structuredClone(message);
    this.sent.push(data);
    setTimeout(() => void this.host.handle(data), 0);
  }

  terminate(): void {
    this.terminated = true;
  }
}

/** Let queued timers and promise callbacks run. */
export function settle(ms = 0): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/**
 * What the main thread should hold for `findings` (a cold analysis of
 * cells whose keys are `keys`): each cell's findings, naming cells by key.
 */
export function byCellKey(
  findings: readonly IFinding[],
  keys: readonly string[]
): Map<string, ICellFinding[]> {
  const cells = new Map<string, ICellFinding[]>();
  for (const finding of findings) {
    const cellId = keys[finding.cell];
    const located: ICellFinding = {
      ...finding,
      cellId,
      fix: finding.fix && {
        ...finding.fix,
        edits: finding.fix.edits.map(edit => ({
          ...edit,
          cellId: keys[edit.cell]
        }))
      }
    };
    cells.set(cellId, [...(cells.get(cellId) ?? []), located]);
  }
  return cells;
}
