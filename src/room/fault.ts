/**
 * A device that misbehaves on purpose, for the lesson and the tests (join.html?fault=…): "nan"
 * sends gradients of NaN, "flip" sends finite gradients pointing the wrong way, 50 times too
 * large. Its own module so that the join page can read it before the tap without loading more.
 */
export type Fault = "nan" | "flip";

export function parseFault(value: string | null): Fault | undefined {
  return value === "nan" || value === "flip" ? value : undefined;
}
