/** The deck at `/`: reveal.js slides whose embedded cells run live. */
import Reveal from "reveal.js";
import Notes from "reveal.js/plugin/notes";
import "reveal.js/reveal.css";
import "../deck/theme.css";
import "katex/dist/katex.min.css";
import "@observablehq/notebook-kit/inspector.css";
import "inputs.css";
import "../ui/styles.css";
import "../deck/deck.css";
import type { DeckSpec } from "../notebook/types.ts";
import { CellSlots, slotsIn } from "../deck/cell-slots.ts";
import { freezeCanvases } from "../deck/print.ts";
import { REVEAL_OPTIONS } from "../deck/reveal-options.ts";
import { deckViewFromUrl } from "../deck/reveal-views.ts";
import { placeholdersForPreview } from "../deck/speaker-preview.ts";
import { Engine } from "./engine.ts";
import { installHooks } from "./hooks.ts";

interface DeckModule {
  default: DeckSpec<(...args: never[]) => unknown>;
}

const decks = import.meta.glob<DeckModule>("/slides/talk.md", { eager: true });

async function start(): Promise<void> {
  const deck = Object.values(decks)[0]?.default;
  const slidesRoot = document.querySelector<HTMLElement>(".reveal .slides");
  if (!deck || !slidesRoot) throw new Error("The deck or its container is missing");
  document.title = deck.title;
  slidesRoot.innerHTML = deck.html;

  const view = deckViewFromUrl(location.search);
  const live = view !== "speaker-preview";
  if (!live) placeholdersForPreview(slidesRoot);

  const interactive = view === "slides" || view === "scroll";
  const engine = new Engine({
    widthRoot: () => slidesRoot,
    indicator: interactive,
    editing: interactive,
  });
  await engine.add(deck.own);
  if (engine.safe && live) offerRunAll(engine, slidesRoot);
  const slots = new CellSlots(engine, {
    showCode: view === "scroll",
    codeToggle: view === "scroll",
  });
  let printed: Promise<void> = Promise.resolve();

  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  installHooks({
    ready,
    settled: async () => {
      await engine.whenIdle();
      await printed;
    },
    host: live ? engine.host : undefined,
    tensorflow: engine.tensorflow,
  });

  const reveal = new Reveal({
    ...REVEAL_OPTIONS,
    pdfMaxPagesPerSlide: 1,
    plugins: [Notes],
    keyboard: {
      // E: edit the code of the cell on the current slide (typing then goes to the editor).
      69: () => void editCurrentSlide(engine, reveal.getCurrentSlide()),
    },
  });
  await reveal.initialize();

  if (!live) {
    resolveReady();
    return;
  }
  if (view === "print") {
    printed = (async () => {
      await slots.activate(slotsIn(slidesRoot));
      await engine.whenIdle();
      freezeCanvases(slidesRoot);
    })();
    resolveReady();
    return;
  }
  if (view === "scroll") {
    slots.observeVisibility(slotsIn(slidesRoot));
    await Promise.all(slotsIn(reveal.getCurrentSlide()).map((slot) => slots.mount(slot)));
    resolveReady();
    return;
  }
  // reveal centres a slide by its height when shown; outputs that grow later need a new layout.
  let layoutPending = false;
  const relayout = new ResizeObserver(() => {
    if (layoutPending) return;
    layoutPending = true;
    requestAnimationFrame(() => {
      layoutPending = false;
      reveal.layout();
    });
  });
  const showSlide = (slide: HTMLElement) => {
    const found = slotsIn(slide);
    for (const slot of found) relayout.observe(slot);
    return slots.activate(found);
  };
  reveal.on("slidechanged", (event) => {
    void showSlide((event as Event & { currentSlide: HTMLElement }).currentSlide);
  });
  await showSlide(reveal.getCurrentSlide());
  resolveReady();
}

async function editCurrentSlide(engine: Engine, slide: HTMLElement): Promise<void> {
  const cell = slide.querySelector<HTMLElement>(".fd-cell:not(.fd-cell-inline)[data-cell]");
  const key = cell?.dataset.cell;
  if (key) await engine.workshop?.open(key);
}

function offerRunAll(engine: Engine, root: HTMLElement): void {
  engine.notices.show("Safe mode: no cell runs until you start it.", [
    {
      label: "Run all",
      run: () => {
        for (const cell of root.querySelectorAll<HTMLElement>(".fd-cell[data-cell]")) {
          engine.host.run(cell.dataset.cell ?? "");
        }
        root.querySelectorAll(".fd-run-button").forEach((button) => button.remove());
      },
    },
  ]);
}

start().catch((error: unknown) => {
  console.error(error);
  const message = document.createElement("div");
  message.setAttribute("role", "alert");
  message.className = "fd-fatal";
  message.textContent = `The deck could not start: ${error instanceof Error ? error.message : String(error)}`;
  document.body.prepend(message);
});
