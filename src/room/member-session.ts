/**
 * A member's session, loaded when the person taps "join": the connection to the room and the
 * training member (a Web Worker with TensorFlow.js, started here, not before the tap, so the join
 * page stays light). Its `dispose()` leaves the room and ends the worker.
 */
import { describeDevice } from "./device.ts";
import { MlpMember, type Fault, type MlpProgress } from "./mlp-member.ts";
import { joinRoom, type MemberRoom, type MemberStatus, type SocketFactory } from "./ws-link.ts";

export interface MemberSessionOptions {
  token: string;
  /** a page of the room server; `location.href` by default */
  page?: string;
  onStatus(status: MemberStatus, device: string): void;
  onProgress(progress: MlpProgress): void;
  /** misbehave on purpose (join.html?fault=nan|flip) */
  fault?: Fault;
  createSocket?: SocketFactory;
}

export interface MemberSession {
  readonly room: MemberRoom;
  leave(reason?: string): void;
  dispose(): void;
}

export async function startMemberSession(options: MemberSessionOptions): Promise<MemberSession> {
  const page = options.page ?? location.href;
  const member = new MlpMember(new URL(".", page).href, options.fault);
  const describe = (backend: string) =>
    describeDevice(
      {
        userAgent: navigator.userAgent,
        touchPoints: navigator.maxTouchPoints ?? 0,
        cores: navigator.hardwareConcurrency,
      },
      backend,
    );
  let device = describe("starting");
  const room = joinRoom({
    token: options.token,
    device,
    page,
    createSocket: options.createSocket,
  });
  room.onLink((link) => member.attach(link));
  room.onStatus((status) => options.onStatus(status, device.name));
  member.onProgress((progress) => {
    if (progress.backend && progress.backend !== device.backend) {
      device = describe(progress.backend);
      room.updateDevice(device);
    }
    options.onProgress(progress);
  });
  let ended = false;
  const end = (reason: string) => {
    if (ended) return;
    ended = true;
    room.leave(reason);
    member.dispose();
  };
  return { room, leave: end, dispose: () => end("stopped") };
}
