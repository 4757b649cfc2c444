/**
 * A deck: reveal.js slides whose embedded cells run live. `/` is the talk; every other
 * `slides/<name>.md` is `/?deck=<name>`, with the same views (slides, reading, print, speaker).
 */
import { DEFAULT_DECK } from "../compiler/catalog.ts";
import Reveal, { type RevealApi } from "reveal.js";
import Notes from "reveal.js/plugin/notes";
import "reveal.js/reveal.css";
import "../deck/theme.css";
import "katex/dist/katex.min.css";
import "@observablehq/notebook-kit/inspector.css";
import "inputs.css";
import "../ui/styles.css";
import "../deck/deck.css";
import type { DeckSpec } from "../compiler/types.ts";
import { REVEAL_OPTIONS } from "../deck/reveal-options.ts";
import { parkFarOutputs } from "../deck/far-outputs.ts";
import { keepOutputsThroughRewrites, numberSlots } from "../deck/rewritten-slides.ts";
import { fitSlide } from "../deck/fit-slide.ts";
import { followPrintLayout, relayoutPrintPages } from "../deck/print-layout.ts";
import { awaitMeasurements, printStatusLine } from "../deck/print-measurements.ts";
import { deckViewFromUrl, type DeckView } from "../deck/reveal-views.ts";
import { placeholdersForPreview } from "../deck/speaker-preview.ts";
import { nextSlides, WarmAhead } from "../deck/warm-ahead.ts";
import type { TensorFlowHost } from "../ml/backend.ts";
import { slotsIn, type CellSlots } from "../view/cell-slots.ts";
import { Engine } from "./engine.ts";
import type { PageState } from "./hooks.ts";
import { IDLE_PAGE, startPage } from "./page.ts";

interface DeckModule {
  default: DeckSpec<(...args: never[]) => unknown>;
}

/** A slide idle this long (settled, no key pressed) loads what the next ones need. */
const WARM_AFTER_IDLE_MS = 2000;
const WARM_SLIDES_AHEAD = 2;

// The talk ships with the page, so its first slide needs no second request; other decks load on demand.
const talk = import.meta.glob<DeckModule>("/slides/talk.md", { eager: true });
const others = import.meta.glob<DeckModule>(["/slides/*.md", "!/slides/talk.md"]);

async function loadDeck(name: string): Promise<DeckSpec<(...args: never[]) => unknown>> {
  const path = `/slides/${name}.md`;
  const module = talk[path] ?? (await others[path]?.());
  if (!module) throw new Error(`there is no deck “${name}” (slides/${name}.md)`);
  return module.default;
}

async function start(tensorflow: TensorFlowHost): Promise<PageState> {
  const deck = await loadDeck(new URLSearchParams(location.search).get("deck") ?? DEFAULT_DECK);
  const slidesRoot = document.querySelector<HTMLElement>(".reveal .slides");
  if (!slidesRoot) throw new Error("the deck's container is missing");
  document.title = deck.title;
  slidesRoot.innerHTML = deck.html;
  numberSlots(slidesRoot);

  const view = deckViewFromUrl(location.search);
  if (view === "speaker-preview") {
    // The speaker view shows the deck twice more: its cells run on the main screen only.
    placeholdersForPreview(slidesRoot);
    await startReveal(undefined);
    return IDLE_PAGE;
  }
  const interactive = view === "slides" || view === "scroll";
  const engine = new Engine({
    tensorflow,
    widthRoot: () => slidesRoot,
    pageRoot: () => slidesRoot,
    indicator: interactive,
    editing: interactive,
    printing: view === "print",
  });
  await engine.add(deck.own);
  const slots = engine.slots({ showCode: view === "scroll", codeToggle: view === "scroll" });
  engine.offerRunAll(() => engine.views.within(slidesRoot).map((v) => v.key));
  const reveal = await startReveal(engine);
  const idle = await VIEWS[view](reveal, slots, engine);
  return {
    cells: () => engine.host.cells(),
    whenIdle: idle,
    measuring: () => engine.host.measuring(),
  };
}

type ShowView = (
  reveal: RevealApi,
  slots: CellSlots,
  engine: Engine,
) => Promise<() => Promise<void>>;

const VIEWS: Record<Exclude<DeckView, "speaker-preview">, ShowView> = {
  /** Presentation: the current slide's cells are active; they pause when it is left. */
  async slides(reveal, slots, engine) {
    // reveal centres a slide by its height when shown; outputs that grow later need a new layout.
    let layoutPending = false;
    const relayout = new ResizeObserver(() => {
      if (layoutPending) return;
      layoutPending = true;
      requestAnimationFrame(() => {
        layoutPending = false;
        const slide = reveal.getCurrentSlide();
        const { height: configured, center } = reveal.getConfig();
        const height = Number(configured);
        fitSlide(slide, height);
        // Only this slide's centring can have changed: reveal.layout() would walk and measure
        // every slide of the deck (~25 ms here, on every output that grows).
        const centred = center === true || slide.classList.contains("center");
        if (centred && !slide.classList.contains("stack")) {
          slide.style.top = `${Math.max((height - slide.scrollHeight) / 2, 0)}px`;
        }
      });
    });
    const ahead = new WarmAhead({
      idleMs: WARM_AFTER_IDLE_MS,
      whenIdle: () => engine.whenIdle(),
      next: (slide) => nextSlides(reveal, slide, WARM_SLIDES_AHEAD),
      prepare: (keys, wanted) => engine.prepare(keys, wanted),
    });
    const showSlide = async (slide: HTMLElement) => {
      const found = slotsIn(slide);
      for (const slot of found) relayout.observe(slot);
      await slots.activate(found);
      ahead.arrived(slide);
    };
    reveal.on("slidechanged", (event: Event) => {
      const slide = (event as Event & { currentSlide: HTMLElement }).currentSlide;
      ahead.left();
      // A task of its own: the key press lays out the next slide and starts its transition,
      // then its cells mount (one long task would hold both).
      setTimeout(() => {
        if (reveal.getCurrentSlide() === slide) void showSlide(slide);
      }, 0);
    });
    const far = parkFarOutputs(reveal, () => engine.views.all());
    // Leaving reveal's responsive scroll view rewrites the slides from its saved HTML.
    keepOutputsThroughRewrites(
      reveal.getSlidesElement() ?? document.body,
      () => engine.views.all(),
      () => {
        far.update();
        void showSlide(reveal.getCurrentSlide());
      },
    );
    await showSlide(reveal.getCurrentSlide());
    return () => engine.whenIdle();
  },

  /** Reading: one scrolling page, code shown; cells run while scrolled into view. */
  async scroll(reveal, slots, engine) {
    slots.observeVisibility(slotsIn(reveal.getSlidesElement() ?? document.body));
    await Promise.all(slotsIn(reveal.getCurrentSlide()).map((slot) => slots.mount(slot)));
    return () => engine.whenIdle();
  },

  /**
   * Print: every cell shown and settled, measurements ended (for a bounded time), canvases
   * frozen into images for the PDF.
   */
  async print(reveal, slots, engine) {
    const root = reveal.getSlidesElement() ?? document.body;
    const { height, center } = reveal.getConfig();
    const size = { slideHeight: Number(height), center: center !== false };
    const printed = (async () => {
      await slots.activate(slotsIn(root));
      await engine.whenIdle();
      const unfinished = await awaitMeasurements(engine.host, { status: printStatusLine() });
      if (unfinished.length) {
        console.warn(`printing before these ended their measurements: ${unfinished.join(", ")}`);
      }
      await engine.whenIdle(); // the last values' dependents have drawn
      for (const view of engine.views.within(root)) view.freezeCanvases();
      relayoutPrintPages(root, size);
      // An output that goes on growing (a measurement's next result) would otherwise print
      // off-centre, its end cut off by the page: its page is laid out again as it grows.
      followPrintLayout(root, size);
    })();
    return async () => {
      await printed;
      await engine.whenIdle();
      relayoutPrintPages(root, size); // settled now, whether or not a frame has passed
    };
  },
};

async function startReveal(engine: Engine | undefined): Promise<RevealApi> {
  const reveal = new Reveal({
    ...REVEAL_OPTIONS,
    pdfMaxPagesPerSlide: 1,
    plugins: [Notes],
    keyboard: {
      // E: edit the code of the cell on the current slide (typing then goes to the editor).
      69: () => {
        const view = engine?.views.within(reveal.getCurrentSlide()).find((v) => !v.inline);
        if (view) void engine?.workshop?.edits.open(view.key);
      },
    },
  });
  await reveal.initialize();
  return reveal;
}

startPage("deck", start);
