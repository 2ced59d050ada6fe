// The request body editor: CodeMirror 6 with its JSON language, bundled by
// scripts/build-editor.mjs into the package's www/editor.js (the page loads it through its import
// map). It knows nothing of the API: the page gives it the problems to mark (ranges from the
// package's locatePaths) and a completion function (the package's completeAt).
import { EditorState, Compartment } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection, highlightSpecialChars } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { json } from "@codemirror/lang-json";
import { bracketMatching, indentOnInput, syntaxHighlighting, defaultHighlightStyle } from "@codemirror/language";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, startCompletion } from "@codemirror/autocomplete";

/**
 * Creates the editor in `parent`.
 * @param {HTMLElement} parent
 * @param {{ id: string, labelledBy: string, describedBy: string, onChange: () => void, onSubmit: () => void,
 *   complete: (text: string, pos: number) => { from: number, to: number, options: { label: string, apply: string, detail: string }[] } | null }} options
 *   `id` becomes the id of the editable element
 */
export function createEditor(parent, { id, labelledBy, describedBy, onChange, onSubmit, complete }) {
  const invalid = new Compartment();
  const attributes = (bad) => EditorView.contentAttributes.of({ id, "aria-labelledby": labelledBy, "aria-describedby": describedBy, "aria-invalid": String(bad), "aria-multiline": "true" });
  const source = (context) => {
    const found = complete(context.state.doc.toString(), context.pos);
    if (!found) return null;
    return { from: found.from, to: found.to, options: found.options.map((o) => ({ label: o.label, apply: o.apply, detail: o.detail, type: o.detail.endsWith(" value") ? "enum" : "property" })), validFor: /^\w*$/ };
  };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: "",
      extensions: [
        lineNumbers(), highlightSpecialChars(), history(), drawSelection(), indentOnInput(), bracketMatching(), closeBrackets(),
        highlightActiveLine(), syntaxHighlighting(defaultHighlightStyle, { fallback: true }), json(), lintGutter(),
        autocompletion({ override: [source], icons: false }),
        keymap.of([
          { key: "Mod-Enter", run: () => { onSubmit(); return true; } },
          ...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, indentWithTab,
        ]),
        invalid.of(attributes(false)),
        EditorView.updateListener.of((update) => { if (update.docChanged) onChange(); }),
      ],
    }),
  });
  return {
    /** The text. */
    get text() { return view.state.doc.toString(); },
    set text(value) { view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value } }); },
    /** Marks `problems` ({ from, to, message }) with underlines, gutter markers and tooltips. */
    setProblems(problems) {
      const length = view.state.doc.length;
      const diagnostics = problems.map((p) => {
        const from = Math.min(p.from, length);
        // An empty range would show nothing: mark one character at least.
        const to = Math.min(Math.max(p.to, from + 1), length);
        return { from: to > from ? from : Math.max(0, from - 1), to, severity: "error", message: p.message, source: p.source };
      });
      view.dispatch(setDiagnostics(view.state, diagnostics), { effects: invalid.reconfigure(attributes(problems.length > 0)) });
    },
    /** Opens the completion list at the cursor. */
    complete() { view.focus(); startCompletion(view); },
    focus() { view.focus(); },
  };
}
