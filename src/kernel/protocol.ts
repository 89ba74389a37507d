/**
 * The memlens comm protocol, frontend side (docs/protocol.md,
 * schema/protocol.schema.json). Message shapes follow CONTRACTS.md §2–3.
 */

/** Comm target registered by the kernel helper. */
export const COMM_TARGET = 'memlens';

/** Protocol version this frontend speaks: `<major>.<minor>`. */
export const PROTOCOL_VERSION = '1.0';

/** Major version a helper must have for us to talk to it. */
export const PROTOCOL_MAJOR = 1;

/** Where the bytes of a variable live. */
export type Storage = 'heap' | 'file' | 'device' | 'lazy';

/** One user variable as the helper sized it. */
export interface IVariable {
  name: string;
  type: string;
  size_bytes: number | null;
  size_exact: boolean;
  size_error?: number | null;
  shape?: number[] | null;
  len?: number | null;
  dtype?: string | null;
  held_by: string[];
  storage?: Storage;
  device?: string | null;
  owns_data?: boolean;
  base?: string | null;
  pending?: boolean;
  error?: string | null;
}

/** A finding computed by the helper (LV101–LV108). */
export interface ILiveFinding {
  rule: string;
  severity: 'warning' | 'info' | 'hint';
  message: string;
  name?: string | null;
  [extra: string]: unknown;
}

/** Garbage collector facts. */
export interface IGcFacts {
  enabled: boolean;
  count: number[];
  threshold: number[];
  stats: { collections: number; collected: number; uncollectable: number }[];
  frozen?: number | null;
  garbage?: number | null;
}

/** Process memory facts. */
export interface IProcessFacts {
  rss_bytes: number | null;
  peak_rss_bytes: number | null;
  uss_bytes: number | null;
}

/** Reply of `snapshot`: everything the panel shows. */
export interface ISnapshot {
  elapsed_ms: number;
  budget_ms: number;
  complete: boolean;
  total_bytes?: number | null;
  variables: IVariable[];
  skipped?: { name: string; reason: string }[];
  gc: IGcFacts;
  process: IProcessFacts;
  findings?: ILiveFinding[];
}

/** Memory around one executed cell. */
export interface ITimelineEntry {
  execution_count: number | null;
  cell_id?: string | null;
  before_bytes: number | null;
  after_bytes: number | null;
  peak_bytes: number | null;
  duration_ms?: number | null;
  [extra: string]: unknown;
}

/** One DataFrame column with its dtype suggestion, if any. */
export interface IColumnInfo {
  name: string;
  dtype: string;
  memory_bytes: number;
  suggestion?: {
    dtype: string;
    saving_bytes: number;
    saving_fraction?: number;
    reason?: string;
  } | null;
}

/** Reply of `dataframe`. */
export interface IDataFrameDetail {
  name: string;
  rows: number | null;
  columns: IColumnInfo[];
  index_bytes?: number | null;
  total_bytes?: number | null;
  fix_code?: string | null;
  saving_bytes?: number | null;
}

/** The major version of a `<major>.<minor>` protocol string (NaN if bad). */
export function majorOf(version: unknown): number {
  return typeof version === 'string'
    ? Number.parseInt(version.split('.')[0], 10)
    : NaN;
}

/** Reply of `hello`. */
export interface IHelloReply {
  protocol: string;
  helper_version: string;
  capabilities: string[];
  [extra: string]: unknown;
}

/** Reply of `delete`. */
export interface IDeleteReply {
  deleted: boolean;
  freed_bytes: number | null;
  still_held_by: string[];
  rss_before_bytes?: number | null;
  rss_after_bytes?: number | null;
  error?: string | null;
}

/** Reply of `collect`. */
export interface ICollectReply {
  collected: number[] | number;
  rss_before_bytes?: number | null;
  rss_after_bytes?: number | null;
  [extra: string]: unknown;
}

/** Reply of actions reporting RSS before and after. */
export interface IRssReply {
  rss_before_bytes?: number | null;
  rss_after_bytes?: number | null;
  [extra: string]: unknown;
}

/** Reply of `timeline`. */
export interface ITimelineReply {
  entries: ITimelineEntry[];
}

/** Arguments of each request type. */
export interface IRequests {
  hello: { frontend_version: string };
  snapshot: { budget_ms?: number; threshold_bytes?: number };
  dataframe: { name: string };
  delete: { name: string; clear_output_cache?: boolean };
  collect: Record<string, never>;
  clear_output_cache: Record<string, never>;
  clear_last_error: Record<string, never>;
  close_figures: Record<string, never>;
  release_to_os: Record<string, never>;
  timeline: Record<string, never>;
}

/** Reply payload of each request type. */
export interface IReplies {
  hello: IHelloReply;
  snapshot: ISnapshot;
  dataframe: IDataFrameDetail;
  delete: IDeleteReply;
  collect: ICollectReply;
  clear_output_cache: IRssReply;
  clear_last_error: IRssReply;
  close_figures: IRssReply;
  release_to_os: IRssReply;
  timeline: ITimelineReply;
}

/** An unsolicited message from the helper. */
export interface IKernelEvent {
  type: 'event';
  event: string;
  [extra: string]: unknown;
}
