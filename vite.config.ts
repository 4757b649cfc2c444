import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { contentPolicy } from "./src/build/content-policy.ts";
import { flowdeck } from "./src/build/vite-plugin.ts";

const kit = (file: string) =>
  fileURLToPath(
    new URL(`./node_modules/@observablehq/notebook-kit/dist/src/runtime/${file}`, import.meta.url),
  );

export default defineConfig({
  // Relative asset URLs: the built site works from any folder of any static server.
  base: "./",
  plugins: [flowdeck(), contentPolicy()],
  resolve: {
    alias: {
      // Notebook Kit's runtime files, one by one: its index would pull in a CDN-loading stdlib.
      "notebook-kit/define": kit("define.js"),
      "notebook-kit/display": kit("display.js"),
      "notebook-kit/generators": kit("stdlib/generators/index.js"),
      "notebook-kit/mutable": kit("stdlib/mutable.js"),
      "notebook-kit/md": kit("stdlib/md.js"),
      "inputs.css": fileURLToPath(
        new URL("./node_modules/@observablehq/inputs/dist/index.css", import.meta.url),
      ),
    },
  },
  build: {
    target: "es2022",
    rollupOptions: {
      input: {
        deck: fileURLToPath(new URL("./index.html", import.meta.url)),
        notebook: fileURLToPath(new URL("./notebook.html", import.meta.url)),
        workshop: fileURLToPath(new URL("./workshop.html", import.meta.url)),
        join: fileURLToPath(new URL("./join.html", import.meta.url)),
      },
    },
  },
  worker: { format: "es" },
});
