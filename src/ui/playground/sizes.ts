/** The playground's grids: the heat map's side and the neuron thumbnails' side, in samples. */
export const GRID_SIZE = 100;
export const THUMB_SIZE = 25;
