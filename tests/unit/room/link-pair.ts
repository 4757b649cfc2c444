/** Two ends of an in-process link, for tests: each message is structured-cloned, as a port's. */
import type { Link } from "../../../src/ml/distributed/transport.ts";
import { RelayLink } from "../../../src/room/ws-link.ts";

export function linkPair(): [RelayLink, RelayLink] {
  const ends: RelayLink[] = [];
  const make = (other: () => RelayLink) =>
    new RelayLink(
      (message) => queueMicrotask(() => other().deliver(structuredClone(message))),
      (reason) => other().end(reason),
    );
  ends.push(
    make(() => ends[1]!),
    make(() => ends[0]!),
  );
  return [ends[0]!, ends[1]!];
}

export function nextMessage(link: Link): Promise<unknown> {
  return new Promise((resolve) => {
    const stop = link.onMessage((message) => {
      stop();
      resolve(message);
    });
  });
}
