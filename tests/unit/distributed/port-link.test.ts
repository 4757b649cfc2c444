import { describe, expect, it } from "vitest";
import { messageLink, portLink } from "../../../src/ml/distributed/port-link.ts";

describe("links over message passing", () => {
  it("delivers messages, tells its close listeners once, and sends nothing after closing", async () => {
    const channel = new MessageChannel();
    const near = portLink(channel.port1);
    const far = portLink(channel.port2);
    const received: unknown[] = [];
    far.onMessage((message) => received.push(message));
    const reasons: string[] = [];
    near.onClose((reason) => reasons.push(reason));
    near.send({ k: "hello" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    near.close("done");
    near.close("again");
    near.send({ k: "late" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toEqual([{ k: "hello" }]);
    expect(reasons).toEqual(["done"]);
    far.close();
  });

  it("does not tell its listeners of an end it did not cause (a silent kill)", () => {
    let open = true;
    const sent: unknown[] = [];
    const target = {
      postMessage: (message: unknown) => sent.push(message),
      addEventListener: () => {},
      removeEventListener: () => {},
    };
    const link = messageLink(
      target,
      () => open,
      () => false,
    );
    const reasons: string[] = [];
    link.onClose((reason) => reasons.push(reason));
    link.send(1);
    open = false; // killed from outside
    link.send(2);
    link.close("after the kill");
    expect(sent).toEqual([1]);
    expect(reasons).toEqual([]);
  });
});
