import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { bodyCache, resolveFile } from "../../tools/static-files.ts";

describe("the static servers' files", () => {
  let root: string;
  beforeAll(async () => {
    const parent = await mkdtemp(path.join(tmpdir(), "flowdeck-static-"));
    root = path.join(parent, "site");
    await mkdir(path.join(root, "docs"), { recursive: true });
    await writeFile(path.join(root, "index.html"), "<h1>home</h1>");
    await writeFile(path.join(root, "docs", "index.html"), "<h1>docs</h1>");
    await writeFile(path.join(root, "a b.png"), Buffer.from([137, 80, 78, 71]));
    await writeFile(path.join(parent, "secret.txt"), "not served");
  });

  it("finds files and folders' index pages inside the served folder", async () => {
    expect(await resolveFile(root, "/")).toBe(path.join(root, "index.html"));
    expect(await resolveFile(root, "/docs")).toBe(path.join(root, "docs", "index.html"));
    expect(await resolveFile(root, "/a%20b.png")).toBe(path.join(root, "a b.png"));
    expect(await resolveFile(root, "/missing.js")).toBeUndefined();
  });

  it("never leaves the served folder", async () => {
    for (const attempt of ["/../secret.txt", "/%2e%2e/secret.txt", "/docs/../../secret.txt"])
      expect(await resolveFile(root, attempt), attempt).toBeUndefined();
    expect(await resolveFile(root, "/index.html%00.png")).toBeUndefined();
    expect(await resolveFile(root, "/%E0%A4%A")).toBeUndefined(); // malformed escape
  });

  it("gzips text once and leaves images as they are", async () => {
    const load = bodyCache();
    const html = await load(path.join(root, "index.html"));
    expect(html).toMatchObject({ type: "text/html; charset=utf-8", gzip: true });
    expect(gunzipSync(html.data).toString()).toBe("<h1>home</h1>");
    expect(await load(path.join(root, "index.html"))).toBe(html);
    const png = await load(path.join(root, "a b.png"));
    expect(png).toMatchObject({ type: "image/png", gzip: false });
    await expect(load(path.join(root, "nope.css"))).rejects.toThrow();
  });
});
