/** Sent on `window` in dev when a notebook file is saved; its detail is the new NotebookSpec. */
export const NOTEBOOK_UPDATE_EVENT = "flowdeck:notebook-update";
