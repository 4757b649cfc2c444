/**
 * The cell editor: CodeMirror 6 with JavaScript, bracket matching, undo and search (its basic
 * setup), Shift-Enter or Ctrl/Cmd-Enter to run, Escape to close. Loaded on first use.
 */
import { javascript } from "@codemirror/lang-javascript";
import { MergeView } from "@codemirror/merge";
import { Annotation, EditorState, Prec } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { basicSetup } from "codemirror";

export interface CodeEditorOptions {
  doc: string;
  onRun: (source: string) => void;
  onChange: (source: string) => void;
  onClose: () => void;
}

/** Marks a change made by `setSource`, which `onChange` does not report: only typing is. */
const replaced = Annotation.define<boolean>();

export interface CodeEditor {
  readonly source: string;
  setSource(source: string): void;
  focus(): void;
  destroy(): void;
}

export function createCodeEditor(parent: HTMLElement, options: CodeEditorOptions): CodeEditor {
  const run = (view: EditorView) => {
    options.onRun(view.state.doc.toString());
    return true;
  };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: options.doc,
      extensions: [
        basicSetup,
        javascript(),
        Prec.highest(
          keymap.of([
            { key: "Shift-Enter", run },
            { key: "Mod-Enter", run },
            {
              key: "Escape",
              run: () => {
                options.onClose();
                return true;
              },
            },
          ]),
        ),
        EditorView.updateListener.of((update) => {
          const typed = update.transactions.some((t) => !t.annotation(replaced));
          if (update.docChanged && typed) options.onChange(update.state.doc.toString());
        }),
        EditorView.contentAttributes.of({ "aria-label": "Cell code" }),
      ],
    }),
  });
  return {
    get source() {
      return view.state.doc.toString();
    },
    setSource(source) {
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: source },
        annotations: replaced.of(true),
      });
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}

/** Two versions of a cell side by side, changes marked; read-only. */
export function createDiffView(
  parent: HTMLElement,
  left: { label: string; source: string },
  right: { label: string; source: string },
): { destroy(): void } {
  const readOnly = [
    basicSetup,
    javascript(),
    EditorState.readOnly.of(true),
    EditorView.editable.of(false),
  ];
  const labels = document.createElement("div");
  labels.className = "fd-diff-labels";
  for (const { label } of [left, right]) {
    const span = document.createElement("span");
    span.textContent = label;
    labels.append(span);
  }
  parent.append(labels);
  const merge = new MergeView({
    parent,
    a: { doc: left.source, extensions: readOnly },
    b: { doc: right.source, extensions: readOnly },
    collapseUnchanged: { margin: 2, minSize: 4 },
  });
  return {
    destroy() {
      merge.destroy();
      labels.remove();
    },
  };
}
