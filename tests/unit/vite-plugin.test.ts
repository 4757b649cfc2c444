import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";
import { describe, expect, it } from "vitest";
import { CATALOG_ID, flowdeck } from "../../src/build/vite-plugin.ts";

const root = fileURLToPath(new URL("./fixtures/project", import.meta.url));

type Hook = (this: unknown, id: string) => unknown;

/** Calls a plugin hook the way Vite would, recording warnings and watched files. */
async function call(plugin: Plugin, hook: "load" | "resolveId", id: string) {
  const warnings: string[] = [];
  const context = {
    warn: (message: string) => warnings.push(message),
    addWatchFile: () => {},
  };
  const fn = plugin[hook] as Hook | { handler: Hook };
  const handler = typeof fn === "function" ? fn : fn.handler;
  const result = await handler.call(context, id);
  return { result, warnings };
}

describe("the Vite plugin", () => {
  const plugin = flowdeck({ root });

  it("compiles a notebook with a broken cell into a module and a warning, not a failure", async () => {
    const { result, warnings } = await call(plugin, "load", path.join(root, "notebooks/demo.md"));
    expect(typeof result).toBe("string");
    expect(result).toContain('error: {"message":"Unexpected token","line":2,"column":11}');
    expect(result).toContain("import.meta.hot");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^notebooks\/demo\.md:11:\d+: /);
  });

  it("compiles a deck with loaders for the notebooks it embeds", async () => {
    const { result } = await call(plugin, "load", path.join(root, "slides/deck.md"));
    expect(result).toContain('"demo": () => import("/notebooks/demo.md")');
    expect(result).toContain('data-slot=\\"demo/good\\"');
  });

  it("leaves other Markdown alone and lists notebooks and decks in the catalog", async () => {
    expect((await call(plugin, "load", path.join(root, "README.md"))).result).toBeUndefined();
    const resolved = (await call(plugin, "resolveId", CATALOG_ID)).result as string;
    const { result } = await call(plugin, "load", resolved);
    expect(JSON.parse(String(result).replace(/^export default |;$/g, ""))).toEqual({
      notebooks: [{ name: "demo", title: "Plugin fixture", exercises: [] }],
      decks: [{ name: "deck", title: "A deck", notebooks: ["demo"], exercises: [] }],
    });
  });
});
