/**
 * The memlens comm protocol, frontend side. Message types are generated
 * from schema/protocol.schema.json (see docs/protocol.md); this module adds
 * the version constants and the request → reply map.
 */
import { trans } from '../common/i18n';
import type {
  CellEvent,
  ClearLastErrorRequest,
  ClearOutputCacheRequest,
  CloseFiguresRequest,
  CollectRequest,
  DataframeRequest,
  DeleteRequest,
  ExplainReply,
  ExplainRequest,
  GuardEvent,
  GuardReply,
  GuardRequest,
  HelloRequest,
  ProfileEvent,
  ProfileMethod,
  ProfileReply,
  ProfileRequest,
  ReleaseToOsRequest,
  SnapshotRequest,
  TimelineRequest,
  ClearLastErrorReply,
  ClearOutputCacheReply,
  CloseFiguresReply,
  CollectReply,
  DataframeReply,
  DeleteReply,
  HelloReply,
  ReleaseToOsReply,
  SnapshotReply,
  TimelineReply
} from './protocol.generated';

export type {
  Action,
  CellEvent,
  Column,
  DataframeReport,
  DeleteResult,
  ExplainPart,
  ExplainTop,
  Explanation,
  Finding as LiveFinding,
  GcFacts,
  GuardData,
  GuardState,
  HelloReply,
  LimitSource,
  NamedBytes,
  Postmortem,
  ProcessFacts,
  Profile,
  ProfileLine,
  ProfileMethod,
  Snapshot,
  Timeline,
  TimelineEntry,
  Variable
} from './protocol.generated';

/** Comm target registered by the kernel helper. */
export const COMM_TARGET = 'memlens';

/** Protocol version this frontend speaks: `<major>.<minor>`. */
export const PROTOCOL_VERSION = '1.2';

/** Major version a helper must have for us to talk to it. */
export const PROTOCOL_MAJOR = 1;

/** The major version of a `<major>.<minor>` protocol string (NaN if bad). */
export function majorOf(version: unknown): number {
  return typeof version === 'string'
    ? Number.parseInt(version.split('.')[0], 10)
    : NaN;
}

/** The request fields other than the envelope the client adds. */
type Args<T> = Omit<T, 'protocol' | 'id' | 'type'>;

/** Arguments of each request type. */
export interface IRequests {
  hello: Args<HelloRequest>;
  snapshot: Args<SnapshotRequest>;
  dataframe: Args<DataframeRequest>;
  delete: Args<DeleteRequest>;
  collect: Args<CollectRequest>;
  clear_output_cache: Args<ClearOutputCacheRequest>;
  clear_last_error: Args<ClearLastErrorRequest>;
  close_figures: Args<CloseFiguresRequest>;
  release_to_os: Args<ReleaseToOsRequest>;
  timeline: Args<TimelineRequest>;
  profile: Args<ProfileRequest>;
  explain: Args<ExplainRequest>;
  guard: Args<GuardRequest>;
}

/** The reply of each request type. */
export interface IReplies {
  hello: HelloReply;
  snapshot: SnapshotReply;
  dataframe: DataframeReply;
  delete: DeleteReply;
  collect: CollectReply;
  clear_output_cache: ClearOutputCacheReply;
  clear_last_error: ClearLastErrorReply;
  close_figures: CloseFiguresReply;
  release_to_os: ReleaseToOsReply;
  timeline: TimelineReply;
  profile: ProfileReply;
  explain: ExplainReply;
  guard: GuardReply;
}

/** An unsolicited message from the helper. */
export type KernelEvent = CellEvent | ProfileEvent | GuardEvent;

/** The helper feature (in `hello`) that says it can profile lines (1.1). */
export const LINE_PROFILE_FEATURE = 'line-profile';

/** The profile method a 1.1 helper uses (the only one it knows): exact. */
export const DEFAULT_PROFILE_METHOD: ProfileMethod = 'tracemalloc';

/**
 * The profile methods a helper takes: `capabilities.profile_methods` (1.2),
 * else only the exact one (1.1).
 */
export function profileMethodsOf(
  hello: HelloReply | null | undefined
): readonly ProfileMethod[] {
  return hello?.capabilities?.profile_methods ?? [DEFAULT_PROFILE_METHOD];
}

/**
 * The payload of a successful reply (the helper always sends it with ok);
 * throws when it is missing.
 */
export function required<T>(payload: T | undefined, type: string): T {
  if (payload === undefined) {
    throw new Error(
      trans().__('The kernel helper sent an empty %1 reply.', type)
    );
  }
  return payload;
}
