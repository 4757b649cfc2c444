/**
 * A member's session, loaded when the person taps "join": the connection to the room, the
 * compute (loaded here, not before the tap, so the join page stays light), and the work that
 * answers the presenter. Its `dispose()` leaves the room and frees the compute.
 */
import { describeDevice } from "./device.ts";
import { linearCompute, type MemberCompute } from "./member-compute.ts";
import { MemberWork, type MemberProgress } from "./member-runtime.ts";
import type { LinearShard } from "./linear-task.ts";
import { joinRoom, type MemberRoom, type MemberStatus, type SocketFactory } from "./ws-link.ts";

export interface MemberSessionOptions {
  token: string;
  /** a page of the room server; `location.href` by default */
  page?: string;
  onStatus(status: MemberStatus, device: string): void;
  onProgress(progress: MemberProgress): void;
  /** the compute to lend the room; the phase-1 linear stand-in by default */
  loadCompute?: () => Promise<MemberCompute<LinearShard>>;
  createSocket?: SocketFactory;
}

export interface MemberSession {
  readonly room: MemberRoom;
  leave(reason?: string): void;
  dispose(): void;
}

export async function startMemberSession(options: MemberSessionOptions): Promise<MemberSession> {
  const compute = await (options.loadCompute ?? (async () => linearCompute()))();
  const device = describeDevice(
    {
      userAgent: navigator.userAgent,
      touchPoints: navigator.maxTouchPoints ?? 0,
      cores: navigator.hardwareConcurrency,
    },
    compute.backend,
  );
  const work = new MemberWork(compute);
  const room = joinRoom({
    token: options.token,
    device,
    page: options.page,
    createSocket: options.createSocket,
  });
  room.onLink((link) => work.attach(link));
  room.onStatus((status) => options.onStatus(status, device.name));
  work.onProgress(options.onProgress);
  let ended = false;
  const end = (reason: string) => {
    if (ended) return;
    ended = true;
    room.leave(reason);
    work.dispose();
  };
  return { room, leave: end, dispose: () => end("stopped") };
}
