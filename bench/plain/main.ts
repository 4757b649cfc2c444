/**
 * The baseline deck: what a typical reveal.js deck ships (reveal.js, its notes and highlight
 * plugins, reveal.css and the white theme), with the slides already in the HTML. It marks the
 * moments the benchmark compares with Flowdeck's hooks.
 */
import Reveal from "reveal.js";
import Highlight from "reveal.js/plugin/highlight";
import Notes from "reveal.js/plugin/notes";
import "reveal.js/reveal.css";
import "reveal.js/theme/white.css";
import { REVEAL_OPTIONS } from "../../src/deck/reveal-options.ts";

const deck = new Reveal({ ...REVEAL_OPTIONS, plugins: [Notes, Highlight] });

deck.on("ready", () => {
  performance.mark("baseline:ready");
  // The first slide is visible once a frame with it has been produced.
  requestAnimationFrame(() => requestAnimationFrame(() => performance.mark("baseline:visible")));
});

void deck.initialize();
