import katex from "katex";
import "katex/dist/katex.min.css";

type Tex = ((strings: TemplateStringsArray, ...values: unknown[]) => HTMLElement) & {
  block: (strings: TemplateStringsArray, ...values: unknown[]) => HTMLElement;
};

function renderer(displayMode: boolean) {
  return (strings: TemplateStringsArray, ...values: unknown[]): HTMLElement => {
    const root = document.createElement(displayMode ? "div" : "span");
    katex.render(String.raw(strings, ...values), root, { displayMode, throwOnError: true });
    return root;
  };
}

/** `tex\`E = mc^2\`` renders KaTeX inline; `tex.block\`…\`` as a display equation. */
export const tex: Tex = Object.assign(renderer(false), { block: renderer(true) });
