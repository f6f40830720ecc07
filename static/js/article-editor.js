// The article editor: a toolbar for the Markdown the site supports, with keyboard
// shortcuts, and beside the body a live preview and the writing checks, both from the
// server (articles/editorial/writing.py). Without this script the form works as before:
// the body is a plain text box, and the checks panel shows the saved text's checks.
(function () {
  "use strict";

  const body = document.getElementById("id_body");
  const panel = document.getElementById("writing-checks");
  if (!body || body.readOnly || !panel) {
    return;
  }
  const form = body.form;
  const PREVIEW_DELAY_MS = 600;
  // The fields the preview and the checks read; never files.
  const PREVIEWED = /^(title|summary|slug|category|body|references-.*)$/;

  // Editing the text: through the browser's own insertion where it has one, so that
  // Undo still works, and with an `input` event either way (the preview, the autosave and
  // the picture chooser listen for it).

  function replaceSelection(text, selectFrom, selectTo) {
    const start = body.selectionStart;
    body.focus();
    if (!document.execCommand || !document.execCommand("insertText", false, text)) {
      body.setRangeText(text, start, body.selectionEnd, "end");
      body.dispatchEvent(new Event("input", { bubbles: true }));
    }
    if (selectFrom !== undefined) {
      body.setSelectionRange(start + selectFrom, start + selectTo);
    }
  }

  function wrap(before, after, placeholder) {
    const selected = body.value.slice(body.selectionStart, body.selectionEnd);
    const inner = selected || placeholder;
    replaceSelection(before + inner + after, before.length, before.length + inner.length);
  }

  function selectWholeLines() {
    const value = body.value;
    const start = value.lastIndexOf("\n", body.selectionStart - 1) + 1;
    let end = value.indexOf("\n", body.selectionEnd);
    if (end === -1 || (body.selectionEnd > body.selectionStart && value[body.selectionEnd - 1] === "\n")) {
      end = end === -1 ? value.length : body.selectionEnd - 1;
    }
    body.setSelectionRange(start, end);
    return value.slice(start, end).split("\n");
  }

  // Each selected line starts with `prefix(index)`; again on lines that all have it, the
  // prefix goes (as a toolbar's list button toggles the list).
  function prefixLines(prefix, pattern) {
    const lines = selectWholeLines();
    const all = lines.every((line) => pattern.test(line));
    const changed = lines.map((line, index) =>
      all ? line.replace(pattern, "") : prefix(index) + line.replace(pattern, ""),
    );
    const text = changed.join("\n");
    replaceSelection(text, text.length, text.length);
  }

  function heading(level) {
    const marks = "#".repeat(level) + " ";
    const lines = selectWholeLines();
    const text = lines[0].replace(/^#{1,6}\s*/, "");
    const line = lines[0].startsWith(marks) ? text : marks + (text || "Heading");
    const from = line.startsWith(marks) ? marks.length : 0;
    replaceSelection([line, ...lines.slice(1)].join("\n"), from, line.length);
  }

  // A block of its own (a care card) needs blank lines around it.
  function insertBlock(text, cursor) {
    const before = body.value.slice(0, body.selectionStart);
    const after = body.value.slice(body.selectionEnd);
    const lead = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    const trail = after.startsWith("\n\n") ? "" : after.startsWith("\n") ? "\n" : "\n\n";
    replaceSelection(lead + text + trail, lead.length + cursor, lead.length + cursor);
  }

  const actions = [
    { label: "Heading", hint: "Section heading", keys: "Control+Alt+2", run: () => heading(2) },
    { label: "Subheading", hint: "Subheading", keys: "Control+Alt+3", run: () => heading(3) },
    { label: "Bold", hint: "Bold", keys: "Control+B", run: () => wrap("**", "**", "bold text") },
    { label: "Italic", hint: "Italic", keys: "Control+I", run: () => wrap("*", "*", "italic text") },
    {
      label: "Bullets",
      hint: "Bulleted list",
      keys: "Control+Shift+8",
      run: () => prefixLines(() => "- ", /^[-*+]\s+/),
    },
    {
      label: "Numbers",
      hint: "Numbered list",
      keys: "Control+Shift+7",
      run: () => prefixLines((index) => index + 1 + ". ", /^\d+\.\s+/),
    },
    {
      label: "Link",
      hint: "Link: select the words that say where it goes",
      keys: "Control+K",
      run: () => {
        const selected = body.value.slice(body.selectionStart, body.selectionEnd);
        const text = selected || "the page's name";
        const url = "https://";
        replaceSelection("[" + text + "](" + url + ")", text.length + 3, text.length + 3 + url.length);
      },
    },
    {
      label: "Cite a source",
      hint: "Cite a source by its number under Sources",
      run: () => replaceSelection("[1]", 1, 2),
    },
    {
      label: "Care card: non-urgent",
      hint: "Non-urgent care card",
      run: () => insertBlock(":::non-urgent\n- \n:::", 16),
    },
    {
      label: "Care card: urgent",
      hint: "Urgent care card",
      run: () => insertBlock(":::urgent\n- \n:::", 12),
    },
    {
      label: "Care card: emergency",
      hint: "Emergency care card",
      run: () => insertBlock(":::emergency\n- \n:::", 15),
    },
  ];

  function shortcutOf(event) {
    if (!(event.ctrlKey || event.metaKey)) {
      return null;
    }
    const key = event.code.startsWith("Digit") ? event.code.slice(5) : event.key.toUpperCase();
    return ["Control", event.altKey && "Alt", event.shiftKey && "Shift", key].filter(Boolean).join("+");
  }

  // The toolbar: one tab stop, arrow keys move along it (the ARIA toolbar pattern); each
  // button names what it does, and its shortcut where it has one.
  const toolbar = document.createElement("div");
  toolbar.className = "editor-toolbar";
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", "Formatting");
  toolbar.setAttribute("aria-controls", body.id);
  toolbar.dataset.for = body.id;
  actions.forEach((action, index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "editor-toolbar__button";
    button.textContent = action.label;
    button.tabIndex = index === 0 ? 0 : -1;
    button.title = action.keys ? action.hint + " (" + action.keys.replace("Control", "Ctrl") + ")" : action.hint;
    if (action.keys) {
      button.setAttribute("aria-keyshortcuts", action.keys);
    }
    button.addEventListener("click", () => action.run());
    toolbar.append(button);
  });
  toolbar.addEventListener("keydown", (event) => {
    const buttons = [...toolbar.querySelectorAll("button")];
    const at = buttons.indexOf(document.activeElement);
    const moves = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: buttons.length - 1 };
    if (at === -1 || !(event.key in moves)) {
      return;
    }
    event.preventDefault();
    const next = buttons[(moves[event.key] + buttons.length) % buttons.length];
    buttons.forEach((button) => (button.tabIndex = button === next ? 0 : -1));
    next.focus();
  });
  // A button added later (the picture chooser's) joins the toolbar's single tab stop.
  new MutationObserver(() => {
    const buttons = [...toolbar.querySelectorAll("button")];
    if (buttons.filter((button) => button.tabIndex === 0).length > 1) {
      buttons.slice(1).forEach((button) => (button.tabIndex = -1));
    }
  }).observe(toolbar, { childList: true });

  body.addEventListener("keydown", (event) => {
    const pressed = shortcutOf(event);
    const action = pressed && actions.find((candidate) => candidate.keys === pressed);
    if (action) {
      event.preventDefault();
      action.run();
    }
  });

  // The workspace: the toolbar over the text box, the live preview beside it on a wide
  // screen (below it on a narrow one), and the checks after them.
  const workspace = document.createElement("div");
  workspace.className = "editor-workspace";
  const writing = document.createElement("div");
  writing.className = "editor-workspace__writing";
  body.before(workspace);
  writing.append(toolbar, body);
  const preview = document.createElement("section");
  preview.className = "editor-preview";
  preview.setAttribute("aria-labelledby", "editor-preview-heading");
  const previewHeading = document.createElement("h3");
  previewHeading.id = "editor-preview-heading";
  previewHeading.textContent = "Live preview";
  const frame = document.createElement("iframe");
  frame.className = "editor-preview__frame";
  frame.title = "Live preview of the article as readers will see it";
  frame.src = panel.dataset.frameUrl;
  preview.append(previewHeading, frame);
  workspace.append(writing, preview);
  workspace.after(panel);
  panel.classList.add("writing-checks--live");

  const results = panel.querySelector("[data-writing-results]");
  const announcer = panel.querySelector("[data-writing-announcer]");
  const summaries = document.querySelectorAll("[data-writing-summary]");
  const token = form.querySelector("[name=csrfmiddlewaretoken]").value;
  let latest = null;
  let sent = 0;
  let timer = null;

  function fillFrame() {
    const page = frame.contentDocument;
    if (!latest || !page || !page.getElementById("preview-body")) {
      return;
    }
    page.getElementById("preview-title").textContent = latest.title;
    page.getElementById("preview-summary").textContent = latest.summary;
    // Rendered and sanitized by the server's Markdown pipeline, as the page shows it.
    page.getElementById("preview-body").innerHTML = latest.body_html;
  }
  frame.addEventListener("load", fillFrame);

  function counts() {
    const blocking = results.querySelectorAll(".writing-check--block").length;
    const warnings = results.querySelectorAll(".writing-check--warn").length;
    return (blocking ? blocking + " to fix, " : "") + warnings + " to look at";
  }

  async function refresh() {
    const data = new FormData();
    for (const element of form.elements) {
      if (element.name && PREVIEWED.test(element.name) && element.type !== "file") {
        if ((element.type === "checkbox" || element.type === "radio") && !element.checked) {
          continue;
        }
        data.append(element.name, element.value);
      }
    }
    data.append("article", panel.dataset.article || "");
    const number = ++sent;
    let answer;
    try {
      const response = await fetch(panel.dataset.previewUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token },
      });
      answer = await response.json();
      if (!response.ok) {
        throw new Error(answer.error || "The preview could not be made just now.");
      }
    } catch (error) {
      if (number === sent) {
        announcer.textContent = error.message || "The preview could not be made just now.";
      }
      return;
    }
    if (number !== sent) {
      return; // a later answer is on its way
    }
    const before = counts();
    latest = answer;
    fillFrame();
    results.innerHTML = answer.checks_html; // rendered by the server's template, escaped
    const now = counts();
    summaries.forEach((summary) => (summary.textContent = "Checks: " + now));
    if (now !== before) {
      announcer.textContent = "Checks: " + now;
    }
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, PREVIEW_DELAY_MS);
  }
  form.addEventListener("input", (event) => {
    if (event.target.name && PREVIEWED.test(event.target.name)) {
      later();
    }
  });
  form.addEventListener("change", (event) => {
    if (event.target.name && PREVIEWED.test(event.target.name)) {
      later();
    }
  });
  refresh();
})();
