// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { describeDevice } from "../../../src/room/device.ts";
import { mountJoinView, NO_FACTS } from "../../../src/room/join-view.ts";
import { mountQr, qrMatrix, qrPath } from "../../../src/room/qr-view.ts";
import { Roster } from "../../../src/room/roster.ts";
import { mountRoster } from "../../../src/room/roster-view.ts";
import { noRoomNotice } from "../../../src/room/room-panel.ts";
import type { DeviceInfo, MemberInfo } from "../../../src/room/protocol.ts";

const URL_WITH_TOKEN = "http://192.168.100.200:8787/join.html#t=AbCdEfGhIjKlMnOpQrSt_-";

/** Reads the dark modules back out of the SVG path: what a scanner would see. */
function modulesFromPath(path: string, size: number, quiet: number): boolean[][] {
  const grid = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  for (const [, x, y, run] of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    for (let i = 0; i < Number(run); i++) grid[Number(y) - quiet]![Number(x) - quiet + i] = true;
  }
  return grid;
}

describe("the QR code", () => {
  it("draws exactly the modules that qrcode encodes", () => {
    const matrix = qrMatrix(URL_WITH_TOKEN);
    const drawn = modulesFromPath(qrPath(matrix, 4), matrix.size, 4);
    for (let r = 0; r < matrix.size; r++) {
      for (let c = 0; c < matrix.size; c++) expect(drawn[r]![c]).toBe(matrix.dark(r, c));
    }
    // a join URL stays a small code: large modules on a projector
    expect(matrix.size).toBeLessThanOrEqual(41);
  });

  it("mounts an SVG with a quiet zone and the URL as text", () => {
    const container = document.createElement("div");
    const view = mountQr(container, URL_WITH_TOKEN, { caption: "Scan to join" });
    const svg = container.querySelector("svg")!;
    const matrix = qrMatrix(URL_WITH_TOKEN);
    expect(svg.getAttribute("viewBox")).toBe(`0 0 ${matrix.size + 8} ${matrix.size + 8}`);
    expect(view.modules).toBe(matrix.size + 8);
    expect(container.querySelector(".fd-qr-url")!.textContent).toBe(URL_WITH_TOKEN);
    expect(container.querySelector(".fd-qr-caption")!.textContent).toBe("Scan to join");
    view.destroy();
    expect(container.children).toHaveLength(0);
  });
});

describe("the roster", () => {
  const device = (name: string): DeviceInfo => ({ name, kind: "phone", backend: "js", cores: 4 });
  const info = (id: number, name: string): MemberInfo => ({
    id,
    device: device(name),
    joinedAt: 0,
    resumed: false,
  });

  it("follows joins, departures, rejections and refusals", () => {
    const roster = new Roster();
    roster.apply({ k: "roster", members: [info(1, "A")] });
    roster.apply({ k: "joined", member: info(2, "B") });
    roster.apply({ k: "joined", member: info(3, "C") });
    roster.apply({ k: "left", id: 2, reason: "timed out", how: "lost" });
    roster.apply({ k: "left", id: 3, reason: "flooding", how: "rejected" });
    roster.apply({ k: "refused", reason: "wrong join token", count: 1 });
    roster.apply({ k: "joined", member: { ...info(2, "B"), resumed: true } });
    expect(roster.entries().map((e) => [e.key, e.state, e.reason, e.returns])).toEqual([
      ["m1", "connected", "", 0],
      ["m2", "connected", "", 1],
      ["r1", "refused", "wrong join token", 0],
      ["m3", "rejected", "flooding", 0],
    ]);
    expect(roster.refused).toBe(1);
    expect(roster.apply({ k: "left", id: 99, reason: "", how: "left" })).toBe(false);
  });

  it("shows what members said about themselves as text, never as HTML", () => {
    const roster = new Roster();
    roster.apply({ k: "joined", member: info(1, '<img src=x onerror="alert(1)">') });
    roster.apply({ k: "left", id: 1, reason: "<b>bye</b>", how: "rejected" });
    const container = document.createElement("div");
    const view = mountRoster(container, {
      onRoster: (listener) => (listener(roster.entries()), () => {}),
    });
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("b")).toBeNull();
    const row = container.querySelector("tbody tr") as HTMLElement;
    expect(row.dataset.state).toBe("rejected");
    expect(row.querySelector(".fd-roster-name")!.textContent).toBe(
      '<img src=x onerror="alert(1)">',
    );
    expect(row.querySelector(".fd-roster-reason")!.textContent).toBe("<b>bye</b>");
    view.destroy();
  });
});

describe("the no-room notice", () => {
  it("says how to start a room and what happens meanwhile", () => {
    const notice = noRoomNotice("No room server is running: start one with `npm run room`.");
    expect(notice.textContent).toMatch(/run npm run room on this machine/);
    expect(notice.textContent).toMatch(/this browser's own workers/);
    expect(notice.getAttribute("role")).toBe("status");
    // "none is running" is said once; a reason that says more is added
    const long = notice.querySelector(".fd-room-absent-long")!;
    const reason = notice.querySelector(".fd-room-absent-reason")!;
    expect(`${long.textContent} ${reason.textContent}`.match(/npm run room/g)).toHaveLength(2);
    // a slide shows the one-line version in its place (room.css), saying the same in short
    const short = notice.querySelector(".fd-room-absent-short")!.textContent;
    expect(short).toMatch(/npm run room/);
    expect(short).toMatch(/this browser trains/);
    const absent = noRoomNotice("No room server is running: start one.", "absent");
    expect(absent.textContent).not.toMatch(/start one\./);
    const elsewhere = noRoomNotice(
      "The room only takes a presenter on its own machine.",
      "not-local",
    );
    expect(elsewhere.textContent).toMatch(/only takes a presenter on its own machine/);
  });
});

describe("the join view", () => {
  it("shows one button before the tap and the device's work after", () => {
    const root = document.createElement("div");
    let taps = 0;
    const view = mountJoinView(root, { onAction: () => taps++, onLeave: () => {} });
    const facts = { ...NO_FACTS };
    view.update({
      phase: "ready",
      message: "",
      action: "Tap to join",
      facts,
      memberId: null,
      steps: 0,
    });
    const button = root.querySelector<HTMLButtonElement>(".fd-join-action")!;
    expect(button.hidden).toBe(false);
    expect(root.querySelector<HTMLElement>(".fd-join-facts")!.hidden).toBe(true);
    button.click();
    expect(taps).toBe(1);
    view.update({
      phase: "joined",
      message: "",
      action: "",
      facts: {
        ...facts,
        connection: "In the room as #3",
        shard: "3 of 8 · 256 examples",
        weights: "16 bits a weight (half the bytes of float32)",
        steps: "12",
      },
      memberId: 3,
      steps: 12,
    });
    expect(button.hidden).toBe(true);
    const main = root.querySelector<HTMLElement>("main")!;
    expect(main.dataset).toMatchObject({ phase: "joined", memberId: "3", steps: "12" });
    expect(root.querySelector('[data-fact="shard"]')!.textContent).toBe("3 of 8 · 256 examples");
    expect(root.querySelector('[data-fact="weights"]')!.textContent).toMatch(/^16 bits/);

    // a step later only the step count changed: the other facts' text nodes are left alone,
    // so a training phone repaints one line, not the page
    const shardText = root.querySelector('[data-fact="shard"]')!.firstChild;
    const stepsCell = root.querySelector('[data-fact="steps"]')!;
    const state = {
      phase: "joined" as const,
      message: "",
      action: "",
      facts: {
        ...facts,
        connection: "In the room as #3",
        shard: "3 of 8 · 256 examples",
        weights: "16 bits a weight (half the bytes of float32)",
        steps: "13",
      },
      memberId: 3,
      steps: 13,
    };
    view.update(state);
    expect(root.querySelector('[data-fact="shard"]')!.firstChild).toBe(shardText);
    expect(stepsCell.textContent).toBe("13");
    expect(main.dataset.steps).toBe("13");
  });
});

describe("device descriptions", () => {
  const ua = {
    iphone:
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    ipad: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    pixel:
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
    tab: "Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    windows:
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
    firefox: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
  };

  it("names the device and its browser, within the length limit", () => {
    const d = (userAgent: string, touchPoints = 0) =>
      describeDevice({ userAgent, touchPoints, cores: 8 }, "js");
    expect(d(ua.iphone, 5)).toMatchObject({ name: "iPhone · Safari", kind: "phone" });
    expect(d(ua.ipad, 5)).toMatchObject({ name: "iPad · Safari", kind: "tablet" });
    expect(d(ua.ipad, 0)).toMatchObject({ name: "Mac · Safari", kind: "computer" });
    expect(d(ua.pixel, 5)).toMatchObject({ name: "Android phone · Chrome", kind: "phone" });
    expect(d(ua.tab, 5)).toMatchObject({ name: "Android tablet · Chrome", kind: "tablet" });
    expect(d(ua.windows)).toMatchObject({ name: "Windows PC · Edge", kind: "computer", cores: 8 });
    expect(d(ua.firefox)).toMatchObject({ name: "Linux PC · Firefox" });
    expect(d("")).toMatchObject({ name: "Device", kind: "unknown" });
    expect(describeDevice({ userAgent: "", touchPoints: 0, cores: 0 }, "js").cores).toBeNull();
  });
});
