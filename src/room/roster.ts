/**
 * The presenter's view of the room, built from the server's events: who is in, who left and how,
 * who was thrown out and why, and how many devices were refused at the door. Pure: the views
 * and the tests feed it events and read entries.
 */
import type { DeviceInfo, MemberInfo, ToPresenter } from "./protocol.ts";

export type RosterState = "connected" | "lost" | "left" | "rejected" | "refused";

export interface RosterEntry {
  /** stable across updates: `m<id>` for members, `r<n>` for refused connections */
  key: string;
  id: number | null;
  device: DeviceInfo | null;
  state: RosterState;
  /** why it left, was rejected or refused; "" while connected */
  reason: string;
  /** milliseconds since the room started, when the member first joined */
  joinedAt: number | null;
  /** times it came back after a dropped connection */
  returns: number;
}

/** Entries kept for members gone or refused, newest first; older ones are forgotten. */
const HISTORY = 50;

export class Roster {
  readonly #entries = new Map<string, RosterEntry>();
  #refused = 0;

  /** devices turned away before they became members (wrong token, room full, early misdeeds) */
  get refused(): number {
    return this.#refused;
  }

  /** Applies one server event; true when the roster changed. */
  apply(event: ToPresenter): boolean {
    switch (event.k) {
      case "roster":
        for (const member of event.members) this.#join(member);
        return true;
      case "joined":
        this.#join(event.member);
        return true;
      case "updated": {
        const entry = this.#entries.get(`m${event.member.id}`);
        if (!entry) return false;
        entry.device = event.member.device;
        return true;
      }
      case "left": {
        const entry = this.#entries.get(`m${event.id}`);
        if (!entry) return false;
        entry.state = event.how;
        entry.reason = event.reason;
        // Re-inserted, so that the order of departures is the order of the map.
        this.#entries.delete(entry.key);
        this.#entries.set(entry.key, entry);
        this.#trim();
        return true;
      }
      case "refused":
        this.#refused = Math.max(this.#refused + 1, event.count);
        this.#entries.set(`r${this.#refused}`, {
          key: `r${this.#refused}`,
          id: null,
          device: null,
          state: "refused",
          reason: event.reason,
          joinedAt: null,
          returns: 0,
        });
        this.#trim();
        return true;
      default:
        return false;
    }
  }

  #join(member: MemberInfo): void {
    const key = `m${member.id}`;
    const known = this.#entries.get(key);
    if (known) {
      if (known.state !== "connected") known.returns++;
      known.state = "connected";
      known.reason = "";
      known.device = member.device;
      return;
    }
    this.#entries.set(key, {
      key,
      id: member.id,
      device: member.device,
      state: "connected",
      reason: "",
      joinedAt: member.joinedAt,
      returns: member.resumed ? 1 : 0,
    });
  }

  #trim(): void {
    const gone = [...this.#entries.values()].filter((e) => e.state !== "connected");
    for (const entry of gone.slice(0, Math.max(0, gone.length - HISTORY))) {
      this.#entries.delete(entry.key);
    }
  }

  /** Connected members first (by id), then the rest, most recent first. */
  entries(): RosterEntry[] {
    const all = [...this.#entries.values()];
    const connected = all.filter((e) => e.state === "connected").sort((a, b) => a.id! - b.id!);
    const rest = all.filter((e) => e.state !== "connected").reverse();
    return [...connected, ...rest];
  }

  connected(): RosterEntry[] {
    return this.entries().filter((e) => e.state === "connected");
  }
}
