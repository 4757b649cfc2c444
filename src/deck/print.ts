/**
 * Before a deck is printed, freeze every live output: a canvas (WebGL included) becomes an image
 * of what it shows, so the PDF has no blank boxes.
 */
export function freezeCanvases(root: ParentNode): number {
  let frozen = 0;
  for (const canvas of Array.from(root.querySelectorAll<HTMLCanvasElement>(".fd-cell canvas"))) {
    let url: string;
    try {
      url = canvas.toDataURL("image/png");
    } catch {
      continue; // a tainted canvas cannot be read; leave it as it is
    }
    const image = document.createElement("img");
    image.src = url;
    image.width = canvas.width;
    image.height = canvas.height;
    image.className = canvas.className;
    image.style.cssText = canvas.style.cssText;
    image.alt = canvas.getAttribute("aria-label") ?? "";
    canvas.replaceWith(image);
    frozen++;
  }
  return frozen;
}
