import { describe, expect, it } from "vitest";
import {
  CHROMIUM_ENV,
  DEBIAN_CHROMIUM,
  chromiumPath,
  findChromium,
  missingChromiumMessage,
  type Where,
} from "../../tools/chromium.ts";

function where(platform: NodeJS.Platform, files: string[], env: Where["env"] = {}): Where {
  return { platform, env, exists: (file) => files.includes(file) };
}

const MAC_CHROME = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome";
const WIN_CHROME = "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe";

describe("finding the browser (tools/chromium.ts)", () => {
  it("prefers Debian's /usr/bin/chromium", () => {
    const here = where("linux", [DEBIAN_CHROMIUM, "/usr/bin/google-chrome"], {
      [CHROMIUM_ENV]: "/opt/mine/chrome",
    });
    expect(findChromium(here)).toBe(DEBIAN_CHROMIUM);
  });

  it("else finds Chrome or Chromium in the usual places of each platform", () => {
    expect(findChromium(where("linux", ["/usr/bin/google-chrome-stable"]))).toBe(
      "/usr/bin/google-chrome-stable",
    );
    expect(findChromium(where("linux", ["/snap/bin/chromium"]))).toBe("/snap/bin/chromium");
    expect(findChromium(where("darwin", [MAC_CHROME]))).toBe(MAC_CHROME);
    const home = "/Users/ann/Applications/Chromium.app/Contents/MacOS/Chromium";
    expect(findChromium(where("darwin", [home], { HOME: "/Users/ann" }))).toBe(home);
    const windows = where("win32", [WIN_CHROME], { PROGRAMFILES: "C:\\Program Files" });
    expect(findChromium(windows)).toBe(WIN_CHROME);
  });

  it("else uses the path in FLOWDECK_CHROMIUM, when it exists", () => {
    const env = { [CHROMIUM_ENV]: "/opt/mine/chrome" };
    expect(findChromium(where("linux", ["/opt/mine/chrome"], env))).toBe("/opt/mine/chrome");
    expect(findChromium(where("linux", [], env))).toBeUndefined();
  });

  it("fails with one sentence that says how to install one", () => {
    const none = where("linux", []);
    expect(findChromium(none)).toBeUndefined();
    expect(() => chromiumPath(none)).toThrow(/apt-get install chromium/);
    const message = missingChromiumMessage(none);
    expect(message.split(/\.\s/)).toHaveLength(1);
    expect(message).toContain(CHROMIUM_ENV);
    expect(missingChromiumMessage(where("darwin", []))).toMatch(/Google Chrome/);
    const wrong = missingChromiumMessage(where("linux", [], { [CHROMIUM_ENV]: "/nope" }));
    expect(wrong).toMatch(/^FLOWDECK_CHROMIUM=\/nope does not exist/);
  });
});
