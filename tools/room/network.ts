/** Which address the room's devices should join at, and who counts as the presenter's machine. */
import type { NetworkInterfaceInfo } from "node:os";

/** Virtual interfaces (containers, VMs, VPN tunnels) that phones in the room cannot reach. */
const VIRTUAL = /^(docker|br-|veth|virbr|vboxnet|vmnet|tun|tap|utun|zt|tailscale|wg)/i;

const isPrivate = (address: string) =>
  /^10\./.test(address) ||
  /^192\.168\./.test(address) ||
  /^172\.(1[6-9]|2\d|3[01])\./.test(address);

/**
 * The machine's LAN IPv4 address: a private address on a physical-looking interface first, then
 * any other external IPv4 one; "127.0.0.1" when there is none (the room works on this machine
 * only then).
 */
export function lanAddress(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): {
  address: string;
  loopback: boolean;
} {
  const candidates: { address: string; score: number }[] = [];
  for (const [name, infos] of Object.entries(interfaces)) {
    for (const info of infos ?? []) {
      if (info.family !== "IPv4" || info.internal || info.address.startsWith("169.254.")) continue;
      const score = (isPrivate(info.address) ? 2 : 0) + (VIRTUAL.test(name) ? 0 : 1);
      candidates.push({ address: info.address, score });
    }
  }
  candidates.sort((a, b) => b.score - a.score);
  const best = candidates[0];
  return best
    ? { address: best.address, loopback: false }
    : { address: "127.0.0.1", loopback: true };
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.replace(/^::ffff:/, "");
  return plain === "::1" || /^127\./.test(plain);
}

/**
 * A request's Host names this machine by a loopback name. Checked with the peer address, it
 * keeps a page from another site (rebinding its name to 127.0.0.1) from reading the token.
 */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`].includes(host.toLowerCase());
}
